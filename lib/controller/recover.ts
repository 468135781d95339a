import { INTENT_ANNOTATION } from '../gptpolicy/api.ts';
import type { GenerationState, GPTPolicy, GPTPolicyStatus } from '../gptpolicy/types.ts';
import type { Platform } from '../platform/platform.ts';
import type { Stage } from '../rollout/types.ts';
import { readAppliedPolicy, specHashOf } from './apply.ts';
import { policyNameFor } from './naming.ts';
import { isOwnedBy } from './ownership.ts';
import { decide } from './outcome.ts';

/**
 * A run that left its in-flight mark may have got further than the model call: it may have
 * applied the policy and lost only its last status write (an API error, or jsPolicy's timeout).
 * Then the status says so, with the policy and its hash, instead of reporting an interrupted call
 * for a policy that is in the cluster. Read only on this rare path.
 */
export function recoveredStatus(platform: Platform, gp: GPTPolicy, generation: GenerationState): GPTPolicyStatus | undefined {
  const name = policyNameFor(gp);
  const policy = readAppliedPolicy(platform, name);
  if (!policy || !isOwnedBy(policy, gp) || policy.metadata.annotations?.[INTENT_ANNOTATION] !== generation.intentHash) return undefined;
  const now = new Date(platform.now()).toISOString();
  const specHash = specHashOf(policy);
  const stage = (policy.spec.violationPolicy ?? 'Deny') as Stage;
  return decide(gp, generation, { kind: 'recovered', policyName: name, rollout: { stage, specHash, since: now }, impact: { specHash, pending: true } }, platform.now()).status;
}
