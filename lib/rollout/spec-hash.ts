import type { JsPolicySpec } from '../k8s/types.ts';
import { canonicalJson, sha256Hex } from '../util/sha256.ts';

/**
 * The hash an approval is bound to: everything the policy would enforce — its code, what it
 * matches, its selectors — but not violationPolicy, which is what the approval changes.
 */
export function enforcedSpecHash(spec: JsPolicySpec): string {
  const { violationPolicy: _stage, ...enforced } = spec;
  return sha256Hex(canonicalJson(enforced));
}
