import { GROUP } from '../gptpolicy/api.ts';
import { sha256Hex } from '../util/sha256.ts';

// jsPolicy names its webhook configuration "<policy>-xxxxx", and that must stay a valid
// 253-character name; jsPolicy also demands at least three dot-separated segments.
const MAX_POLICY_NAME = 253 - 6;
const SUFFIX = `.${GROUP}`;

/** The JsPolicy name generated for a GPTPolicy: "<gptpolicy>.gptpolicy.dev", shortened with a hash when too long. */
export function generatedPolicyName(gptPolicyName: string): string {
  const full = `${gptPolicyName}${SUFFIX}`;
  if (full.length <= MAX_POLICY_NAME) return full;
  const hash = sha256Hex(gptPolicyName).slice(0, 8);
  const room = MAX_POLICY_NAME - SUFFIX.length - hash.length - 1;
  return `${gptPolicyName.slice(0, room).replace(/[.-]+$/, '')}-${hash}${SUFFIX}`;
}
