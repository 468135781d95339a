import type { GenerationState, GPTPolicy } from '../gptpolicy/types.ts';
import { isIntentKind, pluralOf } from '../gptpolicy/kinds.ts';
import type { AdmissionRequest } from '../k8s/types.ts';
import type { Platform } from '../platform/platform.ts';
import { describeThrown, stackOf } from '../util/thrown.ts';
import { intentHash } from './intent.ts';
import { decide } from './outcome.ts';
import { putStatus } from './status-writes.ts';

/**
 * An exception no part of the controller caught is a controller bug: jsPolicy would only log it as
 * a violation and never retry the run. It is logged with its stack, and — for a GPTPolicy — said in
 * its status as ControllerError, once (the same report is not written again, so no loop of events).
 */
export function reportUncaught(platform: Platform, request: AdmissionRequest, thrown: unknown): void {
  const error = describeThrown(thrown);
  platform.log('error', `controller error (uncaught): ${error}`, { kind: request.kind?.kind, name: request.name, stack: stackOf(thrown) });
  if (!isIntentKind(request.kind?.kind) || !request.object || request.object.metadata?.deletionTimestamp) return;
  try {
    const gp = request.object as GPTPolicy;
    let hash: string;
    try {
      hash = intentHash(gp);
    } catch {
      hash = gp.status?.generation?.intentHash ?? 'unknown';
    }
    const generation: GenerationState = gp.status?.generation?.intentHash === hash ? gp.status.generation : { intentHash: hash, calls: 0, transientFailures: 0 };
    const { status } = decide(gp, generation, { kind: 'controller-error', where: 'reconcile', error, callSpent: true }, platform.now());
    const said = (s: typeof status | undefined) => s?.conditions?.find((c) => c.type === 'Ready');
    if (said(gp.status)?.reason === 'ControllerError' && said(gp.status)?.message === said(status)?.message) return;
    putStatus(platform, gp, status, pluralOf(gp.kind));
  } catch (again) {
    platform.log('error', `could not report the controller error in the status: ${describeThrown(again)}`, { name: request.name });
  }
}
