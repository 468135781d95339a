import type { ApprovedVersion } from '../gptpolicy/types.ts';
import { unwrapGuard } from '../policy/guard.ts';
import type { EffectiveStage } from '../rollout/stage.ts';
import { canonicalJson, sha256Hex } from '../util/sha256.ts';

/**
 * What the status keeps as the last approved version once the stage in force is decided: the
 * policy with this hash and code (as jsPolicy runs it, guard included) when an approval puts it at
 * Warn or Deny, else the earlier record unchanged. The record outlives the policy it describes, so
 * the review of a regenerated policy can show what changed since a person last approved one; a
 * withdrawn approval leaves it too (it was approved, and the review says by whom).
 */
export function approvedVersion(previous: ApprovedVersion | undefined, specHash: string, effective: EffectiveStage, javascript: string): ApprovedVersion | undefined {
  const approval = effective.approval;
  if (effective.stage === 'Dry' || !approval) return previous;
  const code = unwrapGuard(javascript) ?? javascript;
  const next: ApprovedVersion = {
    specHash,
    stage: effective.stage,
    approval: approval.metadata.name ?? '',
    ...(approval.spec.approvedBy ? { approvedBy: approval.spec.approvedBy } : {}),
    code,
    codeSha256: sha256Hex(code),
  };
  // The same record as before (a resync): the caller writes nothing. Compared without the code, which
  // the status bounds may have clipped; its hash stands for it.
  const same = previous && canonicalJson({ ...previous, code: '' }) === canonicalJson({ ...next, code: '' });
  return same ? previous : next;
}
