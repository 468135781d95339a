import type { PolicyType } from '../k8s/types.ts';
import type { PolicyApproval, Stage } from './types.ts';

const RANK: Record<Stage, number> = { Dry: 0, Warn: 1, Deny: 2 };

export interface EffectiveStage {
  stage: Stage;
  approval?: PolicyApproval;
}

/**
 * The stage a policy runs at: the highest one approved for exactly this spec hash, else Dry.
 * A changed policy therefore falls back to Dry by itself. A Mutating policy has no Warn stage
 * (Warn already applies patches; Dry drops them all): only a Deny approval enforces it.
 */
export function effectiveStage(approvals: readonly PolicyApproval[], gptPolicy: string, specHash: string, type: PolicyType | '' | undefined): EffectiveStage {
  let best: EffectiveStage = { stage: 'Dry' };
  for (const approval of approvals) {
    if (approval.spec?.gptPolicy !== gptPolicy || approval.spec.specHash !== specHash || approval.metadata.deletionTimestamp) continue;
    if (type === 'Mutating' && approval.spec.stage !== 'Deny') continue;
    if (RANK[approval.spec.stage] > RANK[best.stage]) best = { stage: approval.spec.stage, approval };
  }
  return best;
}

/** What an approval's status should say, given the stage in force. */
export function approvalPhase(approval: PolicyApproval, currentHash: string | undefined, type: PolicyType | '' | undefined, effective: EffectiveStage): { phase: 'Active' | 'Superseded' | 'Stale' | 'Invalid'; message: string } {
  if (currentHash === undefined) return { phase: 'Stale', message: `GPTPolicy ${approval.spec.gptPolicy} has no applied policy to approve` };
  if (approval.spec.specHash !== currentHash) {
    return { phase: 'Stale', message: `approves spec ${approval.spec.specHash.slice(0, 12)}, but the policy now is ${currentHash.slice(0, 12)}: review it and approve status.rollout.specHash again` };
  }
  if (type === 'Mutating' && approval.spec.stage === 'Warn') {
    return { phase: 'Invalid', message: 'a Mutating policy has no Warn stage (Warn already applies patches): approve Deny to enforce it' };
  }
  if (effective.approval?.metadata.name === approval.metadata.name) return { phase: 'Active', message: `the policy runs at ${effective.stage}` };
  return { phase: 'Superseded', message: `another approval puts the policy at ${effective.stage}` };
}
