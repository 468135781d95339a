import type { GPTPolicyStatus } from '../gptpolicy/types.ts';
import type { KubeObject } from '../k8s/types.ts';
import { writeStatus, type StatusWrite } from '../platform/kube-api.ts';
import type { Platform } from '../platform/platform.ts';
import { boundStatus } from './status-bounds.ts';

/**
 * Writes a status we own. A conflict after a slow step (a model call) only means someone touched
 * the object meanwhile; the status is ours alone, so it is written again onto the fresh object.
 * Before a model call, pass retryOnConflict false: a conflict then means this run is stale.
 */
export function putStatus<T extends KubeObject>(platform: Platform, object: T, desired: unknown, plural: string, options = { retryOnConflict: true }): StatusWrite {
  // A GPTPolicy's status carries what a model wrote: always within its bounds (status-bounds.ts).
  const status = object.kind === 'GPTPolicy' && desired !== null && typeof desired === 'object' ? boundStatus(desired as GPTPolicyStatus) : desired;
  const first = writeStatus(platform, { ...object, status }, plural);
  if (first.ok || first.code !== 409 || !options.retryOnConflict) return report(platform, object, first);
  const fresh = platform.getUncached<T>(object.kind, object.apiVersion, object.metadata.name ?? '');
  if (!fresh) return report(platform, object, first);
  const observed = status !== null && typeof status === 'object' && 'observedGeneration' in status ? { observedGeneration: fresh.metadata.generation } : {};
  return report(platform, object, writeStatus(platform, { ...fresh, status: { ...(status as object), ...observed } }, plural));
}

function report(platform: Platform, object: KubeObject, result: StatusWrite): StatusWrite {
  if (!result.ok) platform.log('error', `status write failed: ${result.reason}: ${String(result.message).slice(0, 1000)}`, { kind: object.kind, name: object.metadata.name });
  return result;
}
