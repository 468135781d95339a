import { API_VERSION, JSPOLICY_API_VERSION } from '../gptpolicy/api.ts';
import { intentKindOf, namespaceBound, type IntentKind } from '../gptpolicy/kinds.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { ActionResult, JsPolicy, KubeObject } from '../k8s/types.ts';
import type { Platform } from '../platform/platform.ts';
import { guardOptionsFor, unwrapGuard, wrapWithGuard } from '../policy/guard.ts';
import { enforcedSpecHash } from '../rollout/spec-hash.ts';
import { effectiveStage, type EffectiveStage } from '../rollout/stage.ts';
import type { PolicyApproval, RolloutStatus } from '../rollout/types.ts';
import { decodeBundle, encodeBundle } from '../util/gzip.ts';
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

/**
 * The approvals that can count for an intent of this kind, read uncached when a stage must be
 * decided: a GPTPolicy's are the cluster's PolicyApprovals (few); a NamespacedGPTPolicy's are the
 * NamespacedPolicyApprovals of its own namespace and no other, so that an approval right granted in
 * one namespace moves nothing in another.
 */
export function readApprovals(platform: Platform, intent: IntentKind, namespace: string | undefined): PolicyApproval[] {
  if (!intent.namespaced) return platform.listUncached<PolicyApproval>(intent.approvalKind, API_VERSION);
  if (!namespace) return [];
  return platform.listUncached<PolicyApproval>(intent.approvalKind, API_VERSION, namespace).filter((a) => a.metadata.namespace === namespace);
}

/** The stage for a candidate of this GPTPolicy, from the approvals of exactly its hash. */
export function stageFor(platform: Platform, owner: GPTPolicy, candidate: JsPolicy): { effective: EffectiveStage; specHash: string } {
  const specHash = specHashOf(candidate);
  const approvals = readApprovals(platform, intentKindOf(owner.kind), namespaceBound(owner));
  return { specHash, effective: effectiveStage(approvals, owner.metadata.name ?? '', specHash, candidate.spec.type) };
}

export interface JsPolicyBundle extends KubeObject {
  spec: { bundle: string };
}

/**
 * The policy as jsPolicy runs it without webpack: the code, guard included, as a JsPolicyBundle of
 * the same name (base64(gzip(code)), owned and labelled like the policy), and the JsPolicy without
 * spec.javascript. jsPolicy then never compiles it (jspolicy.go compileBundle: no javascript, no
 * bundling) and runs exactly this text: no parse differential between V8 and webpack's parser, no
 * CompileFailed output.
 */
export function precompiled(desired: JsPolicy): { policy: JsPolicy; bundle: JsPolicyBundle } {
  const { javascript, ...spec } = desired.spec;
  const { name, labels, ownerReferences } = desired.metadata;
  return {
    policy: { ...desired, spec },
    bundle: {
      apiVersion: JSPOLICY_API_VERSION,
      kind: 'JsPolicyBundle',
      metadata: { name, ...(labels ? { labels } : {}), ...(ownerReferences ? { ownerReferences } : {}) },
      spec: { bundle: encodeBundle(javascript ?? '') },
    },
  };
}

/**
 * Creates the policy, or updates it when it is ours; never touches one we do not own. The bundle
 * goes first: jsPolicy reads it on every request, and a JsPolicy without one has no webhook
 * (BundleMissing) until it appears. A bundle of that name we do not own is never overwritten: it is
 * the code jsPolicy would run for our policy. One jsPolicy wrote for an earlier, webpack-compiled
 * version of our policy (owned by our JsPolicy) is ours.
 */
export function applyPolicy(platform: Platform, owner: GPTPolicy, desired: JsPolicy): ActionResult | 'not-ours' {
  const name = desired.metadata.name ?? '';
  let existing: JsPolicy | undefined;
  let existingBundle: JsPolicyBundle | undefined;
  try {
    existing = platform.getUncached<JsPolicy>('JsPolicy', JSPOLICY_API_VERSION, name);
    existingBundle = platform.getUncached<JsPolicyBundle>('JsPolicyBundle', JSPOLICY_API_VERSION, name);
  } catch (thrown) {
    return { ok: false, reason: 'RetrieveObject', message: String(thrown) };
  }
  if (existing && !isOwnedBy(existing, owner)) return 'not-ours';
  const ownedBundle = (b: JsPolicyBundle): boolean => isOwnedBy(b as JsPolicy, owner) || (existing !== undefined && (b.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === existing?.metadata.uid));
  if (existingBundle && !ownedBundle(existingBundle)) return 'not-ours';
  const { policy, bundle } = precompiled(desired);
  if (!existingBundle || existingBundle.spec?.bundle !== bundle.spec.bundle || !isOwnedBy(existingBundle as JsPolicy, owner)) {
    const written = existingBundle ? platform.update({ ...bundle, metadata: { ...existingBundle.metadata, ...bundle.metadata, resourceVersion: existingBundle.metadata.resourceVersion } }) : platform.create(bundle);
    if (!written.ok) return written;
  }
  if (!existing) return platform.create(policy);
  if (samePolicy(existing, policy)) return { ok: true, object: existing };
  return platform.update({ ...policy, metadata: { ...existing.metadata, ...policy.metadata, resourceVersion: existing.metadata.resourceVersion } });
}

/**
 * A policy we applied, as the cluster has it, with the code jsPolicy runs for it in spec.javascript:
 * read back from its JsPolicyBundle when the policy is precompiled. Undefined when the policy is
 * missing, or its code cannot be read (no bundle, or one not written by encodeBundle): nothing may
 * then be hashed, approved or re-applied from it.
 */
export function readAppliedPolicy(platform: Platform, name: string): JsPolicy | undefined {
  const policy = platform.getUncached<JsPolicy>('JsPolicy', JSPOLICY_API_VERSION, name);
  return policy && withBundledCode(policy, () => platform.getUncached<JsPolicyBundle>('JsPolicyBundle', JSPOLICY_API_VERSION, name));
}

/**
 * `policy` with the code jsPolicy runs for it in spec.javascript: its own, else its bundle's (read
 * only then), decoded; undefined when the bundle is missing or not one encodeBundle wrote.
 */
export function withBundledCode(policy: JsPolicy, readBundle: () => Pick<JsPolicyBundle, 'spec'> | undefined): JsPolicy | undefined {
  if (policy.spec.javascript) return policy;
  const bundle = readBundle()?.spec?.bundle;
  const javascript = typeof bundle === 'string' ? decodeBundle(bundle) : undefined;
  return javascript === undefined ? undefined : { ...policy, spec: { ...policy.spec, javascript } };
}
