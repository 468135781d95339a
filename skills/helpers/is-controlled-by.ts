import type { K8sObject } from '../types.ts';

/** Whether an object's controller owner (ownerReference with controller: true) is of the given kind; any kind when kind is "". */
export function isControlledBy(obj: K8sObject, kind: string): boolean {
  const refs = obj && obj.metadata && obj.metadata.ownerReferences;
  if (!Array.isArray(refs)) return false;
  return refs.some((r) => r && r.controller === true && (kind === '' || r.kind === kind));
}
