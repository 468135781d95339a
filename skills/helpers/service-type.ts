import type { K8sObject } from '../types.ts';

/** The type of a Service: spec.type, or "ClusterIP" (the default) when unset. */
export function serviceType(obj: K8sObject): string {
  const type = obj && obj.spec && obj.spec.type;
  return typeof type === 'string' && type !== '' ? type : 'ClusterIP';
}
