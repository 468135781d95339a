import { API_VERSION, JSPOLICY_API_VERSION } from '../gptpolicy/api.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { AdmissionRequest, JsPolicy } from '../k8s/types.ts';
import type { Platform } from '../platform/platform.ts';
import { approvalPhase, effectiveStage } from '../rollout/stage.ts';
import type { PolicyApproval } from '../rollout/types.ts';
import { canonicalJson } from '../util/sha256.ts';
import { applyPolicy, atStage, readApprovals, rolloutStatus, specHashOf } from './apply.ts';
import { isOwnedBy } from './ownership.ts';
import { learnFrom } from './skills.ts';
import { putStatus } from './status-writes.ts';

/** "<gptPolicy>.warn" / "<gptPolicy>.deny" (the CRD enforces it): the owner of a deleted approval. */
export function gptPolicyOfApproval(name: string): string {
  return name.replace(/\.(warn|deny)$/, '');
}

/**
 * An approval was created or deleted: recompute the stage of that GPTPolicy's policy from all
 * approvals of its exact hash, move the policy there, and say so in both statuses. Re-running it
 * changes nothing, so resyncs and our own status writes settle at once.
 */
export function onApproval(platform: Platform, request: AdmissionRequest): void {
  const event = request.object as PolicyApproval | null;
  const gpName = event?.spec?.gptPolicy ?? gptPolicyOfApproval(request.name ?? '');
  const gp = platform.getUncached<GPTPolicy>('GPTPolicy', API_VERSION, gpName);
  const policyName = gp?.status?.policyName;
  const policy = policyName ? platform.getUncached<JsPolicy>('JsPolicy', JSPOLICY_API_VERSION, policyName) : undefined;
  const approvals = readApprovals(platform).filter((a) => a.spec?.gptPolicy === gpName);
  if (!gp || !policy || !isOwnedBy(policy, gp)) {
    for (const approval of approvals) markApproval(platform, approval, { phase: 'Stale', message: `GPTPolicy ${gpName} has no applied policy to approve` });
    return;
  }
  const specHash = specHashOf(policy);
  const effective = effectiveStage(approvals, gpName, specHash, policy.spec.type);
  if (policy.spec.violationPolicy !== effective.stage) {
    const moved = applyPolicy(platform, gp, atStage(policy, effective));
    if (moved === 'not-ours' || !moved.ok) {
      platform.log('error', `could not move the policy to ${effective.stage}`, { gptpolicy: gpName, reason: moved === 'not-ours' ? moved : moved.message });
      return;
    }
    platform.log('info', `policy moved to ${effective.stage}`, { gptpolicy: gpName, approval: effective.approval?.metadata.name });
  }
  // Approved for enforcement: what it teaches is proposed to the library (verified before use).
  if (effective.stage === 'Deny' && gp.status?.rollout?.stage !== 'Deny') learnFrom(platform, gp);
  const rollout = rolloutStatus(specHash, effective, gp.status?.rollout?.since);
  if (canonicalJson(rollout) !== canonicalJson(gp.status?.rollout)) putStatus(platform, gp, { ...gp.status, rollout }, 'gptpolicies');
  for (const approval of approvals) markApproval(platform, approval, approvalPhase(approval, specHash, policy.spec.type, effective));
}

function markApproval(platform: Platform, approval: PolicyApproval, verdict: { phase: NonNullable<PolicyApproval['status']>['phase']; message: string }): void {
  if (approval.metadata.deletionTimestamp) return;
  const status = { phase: verdict.phase, message: verdict.message, observedGeneration: approval.metadata.generation };
  if (canonicalJson(status) === canonicalJson(approval.status)) return;
  putStatus(platform, approval, status, 'policyapprovals');
}
