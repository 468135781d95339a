import { OWNER_NAMESPACE_LABEL, OWNER_UID_LABEL } from '../gptpolicy/api.ts';
import { namespaceBound } from '../gptpolicy/kinds.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { JsPolicy } from '../k8s/types.ts';
import { canonicalJson } from '../util/sha256.ts';

/**
 * True when `policy` is controlled by this very GPTPolicy (same uid), not merely by one of that name.
 * A NamespacedGPTPolicy's policy is cluster-scoped and cannot carry an ownerReference to it (the
 * garbage collector never resolves a namespaced owner of a cluster-scoped object): its labels say it.
 */
export function isOwnedBy(policy: JsPolicy, owner: GPTPolicy): boolean {
  const namespace = namespaceBound(owner);
  if (namespace !== undefined) {
    const labels = policy.metadata.labels ?? {};
    return !!owner.metadata.uid && labels[OWNER_UID_LABEL] === owner.metadata.uid && labels[OWNER_NAMESPACE_LABEL] === namespace;
  }
  return (policy.metadata.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === owner.metadata.uid);
}

/** Whether writing `desired` over `existing` would change anything we manage. */
export function samePolicy(existing: JsPolicy, desired: JsPolicy): boolean {
  const managed = (p: JsPolicy): string =>
    canonicalJson({ spec: p.spec, labels: p.metadata.labels, annotations: p.metadata.annotations, owners: p.metadata.ownerReferences });
  return managed(existing) === managed({ ...desired, metadata: { ...desired.metadata, labels: { ...existing.metadata.labels, ...desired.metadata.labels }, annotations: { ...existing.metadata.annotations, ...desired.metadata.annotations } } });
}
