import { isIntentKind, keyOf } from '../gptpolicy/kinds.ts';
import type { GPTPolicyStatus } from '../gptpolicy/types.ts';
import type { KubeObject } from '../k8s/types.ts';
import { recordEvents } from '../events/record.ts';
import { statusEvents } from '../events/status-events.ts';
import { writeStatus, type StatusWrite } from '../platform/kube-api.ts';
import type { Platform } from '../platform/platform.ts';
import { boundStatus } from './status-bounds.ts';
import { mergeOnConflict } from './status-merge.ts';

/**
 * Writes a status, `object` being the version it was decided from. A conflict after a slow step (a
 * model call) means someone touched the object meanwhile — a user, or the other controller, which
 * writes other fields of the same status: the fields this write changes are laid onto the fresh
 * object and the others' changes kept (status-merge.ts). Before a model call, pass retryOnConflict
 * false: a conflict then means this run is stale. A written outcome is also recorded as Events
 * (lib/events), for `kubectl describe`.
 */
export function putStatus<T extends KubeObject>(platform: Platform, object: T, desired: unknown, plural: string, options = { retryOnConflict: true }): StatusWrite {
  const result = writeWithRetry(platform, object, desired, plural, options);
  if (result.ok) recordEvents(platform, result.object, statusEvents(object.status as GPTPolicyStatus | undefined, desired as GPTPolicyStatus | undefined));
  return result;
}

function writeWithRetry<T extends KubeObject>(platform: Platform, object: T, desired: unknown, plural: string, options: { retryOnConflict: boolean }): StatusWrite {
  const first = writeStatus(platform, { ...object, status: bounded(object, desired) }, plural);
  if (first.ok || first.code !== 409 || !options.retryOnConflict) return report(platform, object, first);
  const fresh = platform.getUncached<T>(object.kind, object.apiVersion, keyOf(object));
  if (!fresh) return report(platform, object, first);
  const merged = mergeOnConflict(object.status, desired, fresh.status);
  // Void: about a policy that has since been replaced; the replacing write said what holds now.
  if (merged === undefined) return first;
  const observed = merged !== null && typeof merged === 'object' && 'observedGeneration' in merged ? { observedGeneration: fresh.metadata.generation } : {};
  return report(platform, object, writeStatus(platform, { ...fresh, status: bounded(object, { ...(merged as object), ...observed }) }, plural));
}

// A GPTPolicy's status carries what a model wrote: always within its bounds (status-bounds.ts).
function bounded(object: KubeObject, status: unknown): unknown {
  return isIntentKind(object.kind) && status !== null && typeof status === 'object' ? boundStatus(status as GPTPolicyStatus) : status;
}

function report(platform: Platform, object: KubeObject, result: StatusWrite): StatusWrite {
  if (!result.ok) platform.log('error', `status write failed: ${result.reason}: ${String(result.message).slice(0, 1000)}`, { kind: object.kind, name: object.metadata.name });
  return result;
}
