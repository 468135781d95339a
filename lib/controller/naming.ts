import { GROUP } from '../gptpolicy/api.ts';
import { namespaceBound } from '../gptpolicy/kinds.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import { sha256Hex } from '../util/sha256.ts';

// jsPolicy names its webhook configuration "<policy>-xxxxx", and that must stay a valid
// 253-character name; jsPolicy also demands at least three dot-separated segments.
const MAX_POLICY_NAME = 253 - 6;
const SUFFIX = `.${GROUP}`;
/**
 * Policies of NamespacedGPTPolicies end apart from those of GPTPolicies: every name ending in
 * ".gptpolicy.dev" is some GPTPolicy's, so no other suffix ending could keep the two kinds from
 * colliding. Within it, "<name>.<namespace>" is read back unambiguously: a namespace has no dots.
 */
const NAMESPACED_SUFFIX = `.ns-${GROUP}`;

/** The JsPolicy name generated for a GPTPolicy: "<gptpolicy>.gptpolicy.dev", shortened with a hash when too long. */
export function generatedPolicyName(gptPolicyName: string): string {
  return shortened(gptPolicyName, gptPolicyName, SUFFIX);
}

/** The JsPolicy name of a NamespacedGPTPolicy: "<name>.<namespace>.ns-gptpolicy.dev", shortened alike. */
export function namespacedPolicyName(namespace: string, name: string): string {
  return shortened(`${name}.${namespace}`, `${namespace}/${name}`, NAMESPACED_SUFFIX);
}

/** The JsPolicy name generated for either kind of intent. */
export function policyNameFor(gp: GPTPolicy): string {
  const namespace = namespaceBound(gp);
  return namespace === undefined ? generatedPolicyName(gp.metadata.name ?? '') : namespacedPolicyName(namespace, gp.metadata.name ?? '');
}

/** Whether a name is one we generate (a JsPolicy's, or its JsPolicyViolations'): a check with no read. */
export function isGeneratedPolicyName(name: string): boolean {
  return name.endsWith(SUFFIX) || name.endsWith(NAMESPACED_SUFFIX);
}

function shortened(base: string, identity: string, suffix: string): string {
  const full = `${base}${suffix}`;
  if (full.length <= MAX_POLICY_NAME) return full;
  const hash = sha256Hex(identity).slice(0, 8);
  const room = MAX_POLICY_NAME - suffix.length - hash.length - 1;
  return `${base.slice(0, room).replace(/[.-]+$/, '')}-${hash}${suffix}`;
}
