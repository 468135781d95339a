import { REGENERATE_ANNOTATION } from '../gptpolicy/api.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import { canonicalJson, sha256Hex } from '../util/sha256.ts';

/**
 * What the user asked for, as a short hash. A policy is regenerated only when this changes, so a
 * resync, a label edit or our own status write never costs a model call.
 */
export function intentHash(gp: GPTPolicy): string {
  const intent = {
    description: gp.spec.description,
    model: gp.spec.model,
    regenerate: gp.metadata.annotations?.[REGENERATE_ANNOTATION],
  };
  return sha256Hex(canonicalJson(intent)).slice(0, 16);
}
