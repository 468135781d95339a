import type { K8sObject } from '../types.ts';
import { podSpecOf } from './pod-spec-of.ts';

/**
 * The host paths a pod-bearing object mounts through hostPath volumes ([] when none).
 *
 * Reads spec.volumes[].hostPath of a Pod or any pod-bearing kind (podSpecOf); every volume whose
 * hostPath is set (not null) is listed by its path, or as "volumes[NAME]" when the path is missing —
 * the Pod Security Standards' baseline "HostPath Volumes" control (check hostPathVolumes). [] when there
 * are no volumes or no pod spec.
 */
export function hostPathVolumes(obj: K8sObject): string[] {
  const spec = podSpecOf(obj);
  const volumes = spec && spec.volumes;
  if (!Array.isArray(volumes)) return [];
  return volumes
    .filter((v) => v && v.hostPath !== undefined && v.hostPath !== null)
    .map((v) => (v.hostPath && typeof v.hostPath.path === 'string' && v.hostPath.path !== '' ? v.hostPath.path : 'volumes[' + String(v.name) + ']'));
}
