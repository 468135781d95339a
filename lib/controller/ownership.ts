import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { JsPolicy } from '../k8s/types.ts';
import { canonicalJson } from '../util/sha256.ts';

/** True when `policy` is controlled by this very GPTPolicy (same uid), not merely by one of that name. */
export function isOwnedBy(policy: JsPolicy, owner: GPTPolicy): boolean {
  return (policy.metadata.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === owner.metadata.uid);
}

/** Whether writing `desired` over `existing` would change anything we manage. */
export function samePolicy(existing: JsPolicy, desired: JsPolicy): boolean {
  const managed = (p: JsPolicy): string =>
    canonicalJson({ spec: p.spec, labels: p.metadata.labels, annotations: p.metadata.annotations, owners: p.metadata.ownerReferences });
  return managed(existing) === managed({ ...desired, metadata: { ...desired.metadata, labels: { ...existing.metadata.labels, ...desired.metadata.labels }, annotations: { ...existing.metadata.annotations, ...desired.metadata.annotations } } });
}
