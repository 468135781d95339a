import type { KubeObject } from '../k8s/types.ts';
import { writeStatus, type StatusWrite } from '../platform/kube-api.ts';
import type { Platform } from '../platform/platform.ts';

/**
 * Writes a status we own. A conflict after a slow step (a model call) only means someone touched
 * the object meanwhile; the status is ours alone, so it is written again onto the fresh object.
 * Before a model call, pass retryOnConflict false: a conflict then means this run is stale.
 */
export function putStatus<T extends KubeObject>(platform: Platform, object: T, status: unknown, plural: string, options = { retryOnConflict: true }): StatusWrite {
  const first = writeStatus(platform, { ...object, status }, plural);
  if (first.ok || first.code !== 409 || !options.retryOnConflict) return report(platform, object, first);
  const fresh = platform.getUncached<T>(object.kind, object.apiVersion, object.metadata.name ?? '');
  if (!fresh) return report(platform, object, first);
  const observed = status !== null && typeof status === 'object' && 'observedGeneration' in status ? { observedGeneration: fresh.metadata.generation } : {};
  return report(platform, object, writeStatus(platform, { ...fresh, status: { ...(status as object), ...observed } }, plural));
}

function report(platform: Platform, object: KubeObject, result: StatusWrite): StatusWrite {
  if (!result.ok) platform.log('error', `status write failed: ${result.reason}: ${result.message}`, { kind: object.kind, name: object.metadata.name });
  return result;
}
