import type { K8sObject } from '../types.ts';

/** The kinds of an object's owners (metadata.ownerReferences), [] when it has none. */
export function ownerKinds(obj: K8sObject): string[] {
  const refs = obj && obj.metadata && obj.metadata.ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.filter((r) => r && typeof r.kind === 'string').map((r) => r.kind as string);
}
