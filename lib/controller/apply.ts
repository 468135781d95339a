import { API_VERSION, JSPOLICY_API_VERSION } from '../gptpolicy/api.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { ActionResult, JsPolicy } from '../k8s/types.ts';
import type { Platform } from '../platform/platform.ts';
import { guardOptionsFor, unwrapGuard, wrapWithGuard } from '../policy/guard.ts';
import { enforcedSpecHash } from '../rollout/spec-hash.ts';
import { effectiveStage, type EffectiveStage } from '../rollout/stage.ts';
import type { PolicyApproval, RolloutStatus } from '../rollout/types.ts';
import { isOwnedBy, samePolicy } from './ownership.ts';

/**
 * The policy as it goes to the cluster, at the stage its approvals allow: the candidate's code in
 * the fail-open guard, which reports code errors as marked denials while nothing is enforced
 * (jsPolicy logs those, and Dry/Warn let them through), and simply allows once it enforces. The
 * guard's read and patch bounds come from the policy itself (its namespaceSelector, and what
 * build-jspolicy.ts read from the description), so they do not change with the stage.
 */
export function atStage(candidate: JsPolicy, effective: EffectiveStage): JsPolicy {
  const code = unwrapGuard(candidate.spec.javascript ?? '') ?? candidate.spec.javascript ?? '';
  const javascript = wrapWithGuard(code, guardOptionsFor(candidate, effective.stage !== 'Deny'));
  return { ...candidate, spec: { ...candidate.spec, javascript, violationPolicy: effective.stage } };
}

/** The hash approvals bind to: the candidate's own code and rules, not our wrapper or the stage. */
export function specHashOf(policy: JsPolicy): string {
  const code = unwrapGuard(policy.spec.javascript ?? '') ?? policy.spec.javascript ?? '';
  return enforcedSpecHash({ ...policy.spec, javascript: code });
}

export function rolloutStatus(specHash: string, effective: EffectiveStage, since: string | undefined): RolloutStatus {
  return {
    stage: effective.stage,
    specHash,
    ...(since ? { since } : {}),
    ...(effective.approval ? { approval: effective.approval.metadata.name, approvedBy: effective.approval.spec.approvedBy } : {}),
  };
}

/** Approvals are few and cluster-scoped: read them all, uncached, when a stage must be decided. */
export function readApprovals(platform: Platform): PolicyApproval[] {
  return platform.listUncached<PolicyApproval>('PolicyApproval', API_VERSION);
}

/** The stage for a candidate of this GPTPolicy, from the approvals of exactly its hash. */
export function stageFor(platform: Platform, owner: GPTPolicy, candidate: JsPolicy): { effective: EffectiveStage; specHash: string } {
  const specHash = specHashOf(candidate);
  return { specHash, effective: effectiveStage(readApprovals(platform), owner.metadata.name ?? '', specHash, candidate.spec.type) };
}

/** Creates the policy, or updates it when it is ours; never touches one we do not own. */
export function applyPolicy(platform: Platform, owner: GPTPolicy, desired: JsPolicy): ActionResult | 'not-ours' {
  const name = desired.metadata.name ?? '';
  let existing: JsPolicy | undefined;
  try {
    existing = platform.getUncached<JsPolicy>('JsPolicy', JSPOLICY_API_VERSION, name);
  } catch (thrown) {
    return { ok: false, reason: 'RetrieveObject', message: String(thrown) };
  }
  if (!existing) return platform.create(desired);
  if (!isOwnedBy(existing, owner)) return 'not-ours';
  if (samePolicy(existing, desired)) return { ok: true, object: existing };
  return platform.update({ ...desired, metadata: { ...existing.metadata, ...desired.metadata, resourceVersion: existing.metadata.resourceVersion } });
}
