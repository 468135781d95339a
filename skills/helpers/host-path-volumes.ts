import type { K8sObject } from '../types.ts';
import { podSpecOf } from './pod-spec-of.ts';

/** The host paths a pod-bearing object mounts through hostPath volumes ([] when none). */
export function hostPathVolumes(obj: K8sObject): string[] {
  const spec = podSpecOf(obj);
  const volumes = spec && spec.volumes;
  if (!Array.isArray(volumes)) return [];
  return volumes.filter((v) => v && v.hostPath).map((v) => String(v.hostPath.path));
}
