import { API_VERSION } from '../gptpolicy/api.ts';
import { intentKindOf, objectKey, pluralOf } from '../gptpolicy/kinds.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { AdmissionRequest } from '../k8s/types.ts';
import type { Platform } from '../platform/platform.ts';
import { approvalPhase, effectiveStage } from '../rollout/stage.ts';
import type { PolicyApproval } from '../rollout/types.ts';
import { canonicalJson } from '../util/sha256.ts';
import { applyPolicy, atStage, readApprovals, readAppliedPolicy, rolloutStatus, specHashOf } from './apply.ts';
import { approvedVersion } from './approved-version.ts';
import { isOwnedBy } from './ownership.ts';
import { learnFrom } from './skills.ts';
import { putStatus } from './status-writes.ts';

/** "<gptPolicy>.warn" / "<gptPolicy>.deny" (the CRD enforces it): the owner of a deleted approval. */
export function gptPolicyOfApproval(name: string): string {
  return name.replace(/\.(warn|deny)$/, '');
}

/**
 * Every approval carries this finalizer, so its deletion is seen even if it happens while the
 * controller is not running (jsPolicy only replays objects that still exist): the stage steps back
 * first, then the finalizer is released.
 */
export const APPROVAL_FINALIZER = 'gptpolicy.dev/restage-policy-first';

/**
 * An approval was created or deleted: recompute the stage of that GPTPolicy's policy from all
 * approvals of its exact hash, move the policy there, and say so in both statuses. Re-running it
 * changes nothing, so resyncs and our own status writes settle at once.
 */
export function onApproval(platform: Platform, request: AdmissionRequest): void {
  const event = request.object as PolicyApproval | null;
  if (event && !event.metadata.deletionTimestamp && !(event.metadata.finalizers ?? []).includes(APPROVAL_FINALIZER)) {
    const held = platform.update({ ...event, metadata: { ...event.metadata, finalizers: [...(event.metadata.finalizers ?? []), APPROVAL_FINALIZER] } });
    if (!held.ok) platform.log('error', `could not add the approval's finalizer: ${held.message ?? ''}`, { approval: event.metadata.name });
  }
  restage(platform, event, request);
  if (event?.metadata.deletionTimestamp && (event.metadata.finalizers ?? []).includes(APPROVAL_FINALIZER)) {
    const released = platform.update({ ...event, metadata: { ...event.metadata, finalizers: (event.metadata.finalizers ?? []).filter((f) => f !== APPROVAL_FINALIZER) } });
    if (!released.ok) platform.log('error', `could not release the approval's finalizer: ${released.message ?? ''}`, { approval: event.metadata.name });
  }
}

/** The stage from the approvals that stand (a deleted one no longer counts: effectiveStage skips it). */
function restage(platform: Platform, event: PolicyApproval | null, request: AdmissionRequest): void {
  const gpName = event?.spec?.gptPolicy ?? gptPolicyOfApproval(request.name ?? '');
  // A NamespacedPolicyApproval is about the NamespacedGPTPolicy of that name in its own namespace.
  const intent = intentKindOf(request.kind.kind);
  const namespace = intent.namespaced ? event?.metadata.namespace ?? request.namespace ?? '' : undefined;
  const gp = namespace === '' ? undefined : platform.getUncached<GPTPolicy>(intent.kind, API_VERSION, objectKey(namespace, gpName));
  const policyName = gp?.status?.policyName;
  // With its code read back from its bundle: the hash an approval binds to covers what jsPolicy runs.
  const policy = policyName ? readAppliedPolicy(platform, policyName) : undefined;
  const approvals = readApprovals(platform, intent, namespace).filter((a) => a.spec?.gptPolicy === gpName);
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
  // Approved for enforcement: what it teaches is proposed to the library (verified before use). Not
  // from a namespaced intent: the library serves every intent of the cluster, and a namespace's
  // approver may not put code into other namespaces' policies.
  if (effective.stage === 'Deny' && gp.status?.rollout?.stage !== 'Deny' && !intent.namespaced) learnFrom(platform, gp);
  const rollout = rolloutStatus(specHash, effective, gp.status?.rollout?.since);
  // What was approved stays in the status, for the diff when a regenerated policy is reviewed.
  const approved = approvedVersion(gp.status?.approved, specHash, effective, policy.spec.javascript ?? '');
  if (canonicalJson(rollout) !== canonicalJson(gp.status?.rollout) || approved !== gp.status?.approved) {
    putStatus(platform, gp, { ...gp.status, rollout, ...(approved ? { approved } : {}) }, pluralOf(gp.kind));
  }
  for (const approval of approvals) markApproval(platform, approval, approvalPhase(approval, specHash, policy.spec.type, effective));
}

function markApproval(platform: Platform, approval: PolicyApproval, verdict: { phase: NonNullable<PolicyApproval['status']>['phase']; message: string }): void {
  if (approval.metadata.deletionTimestamp) return;
  const status = { phase: verdict.phase, message: verdict.message, observedGeneration: approval.metadata.generation };
  if (canonicalJson(status) === canonicalJson(approval.status)) return;
  putStatus(platform, approval, status, pluralOf(approval.kind));
}
