import { API_VERSION, JSPOLICY_API_VERSION, OWNER_NAMESPACE_LABEL, OWNER_UID_LABEL } from '../gptpolicy/api.ts';
import { NAMESPACED_INTENT, namespaceBound, objectKey } from '../gptpolicy/kinds.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { JsPolicy, KubeObject, LabelSelector } from '../k8s/types.ts';
import type { Platform } from '../platform/platform.ts';
import { ownerOf } from './compile-feedback.ts';
import { policyNameFor } from './naming.ts';
import { isOwnedBy } from './ownership.ts';

/**
 * Removal must fail open too. jsPolicy answers 400 — a rejection, whatever failurePolicy says — to
 * a webhook call naming a JsPolicy it no longer knows, and the garbage collector may delete the
 * JsPolicy before its webhook configuration. So a GPTPolicy carries this finalizer: before it goes,
 * its policy is narrowed to match nothing, and only once jsPolicy has synced that webhook (and the
 * API server has had time to load it) is the finalizer released and the policy collected.
 */
export const NARROW_FINALIZER = 'gptpolicy.dev/narrow-policy-first';
const NARROWED_AT = 'gptpolicy.dev/narrowed-at';
/** How long the API server gets to load a changed webhook configuration (no signal exists for it). */
export const WEBHOOK_PICKUP_MS = 3000;

/** No object can carry a label both in and not in a set: the webhook matches nothing. */
export const MATCH_NOTHING: LabelSelector = {
  matchExpressions: [
    { key: 'gptpolicy.dev/never', operator: 'In', values: ['x'] },
    { key: 'gptpolicy.dev/never', operator: 'NotIn', values: ['x'] },
  ],
};

/** The GPTPolicy with our finalizer, or undefined when it already has it. */
export function withFinalizer(gp: GPTPolicy): GPTPolicy | undefined {
  const finalizers = gp.metadata.finalizers ?? [];
  if (finalizers.includes(NARROW_FINALIZER)) return undefined;
  return { ...gp, metadata: { ...gp.metadata, finalizers: [...finalizers, NARROW_FINALIZER] } };
}

export type RemovalStep = { kind: 'narrow'; policy: JsPolicy } | { kind: 'wait'; why: string } | { kind: 'release' };

/** What to do for a GPTPolicy being deleted, given its policy as the API server has it now. */
export function removalStep(gp: GPTPolicy, policy: JsPolicy | undefined, nowMs: number): RemovalStep {
  if (!policy || !isOwnedBy(policy, gp)) return { kind: 'release' };
  return narrowingStep(policy, nowMs);
}

/** The way to let a policy go without a request rejected: narrowed to nothing, synced by jsPolicy, loaded by the API server. */
export function narrowingStep(policy: JsPolicy, nowMs: number): RemovalStep {
  if (policy.metadata.deletionTimestamp) return { kind: 'release' };
  const narrowedAt = policy.metadata.annotations?.[NARROWED_AT];
  if (!narrowedAt) {
    const narrowed: JsPolicy = {
      ...policy,
      metadata: { ...policy.metadata, annotations: { ...policy.metadata.annotations, [NARROWED_AT]: new Date(nowMs).toISOString() } },
      spec: { ...policy.spec, objectSelector: MATCH_NOTHING },
    };
    return { kind: 'narrow', policy: narrowed };
  }
  const synced = policy.status?.observedGeneration === policy.metadata.generation && policy.status?.conditions?.some((c) => c.type === 'WebhookReady' && c.status === 'True');
  // A policy jsPolicy failed to compile has no webhook left to fear.
  const failed = policy.status?.phase === 'Failed';
  if (!synced && !failed) return { kind: 'wait', why: 'waiting for jsPolicy to sync the narrowed webhook' };
  if (nowMs - Date.parse(narrowedAt) < WEBHOOK_PICKUP_MS) return { kind: 'wait', why: 'giving the API server time to load the narrowed webhook' };
  return { kind: 'release' };
}

/** Runs one removal step; requeues while waiting. */
export function onDeleting(platform: Platform, gp: GPTPolicy): void {
  if (!(gp.metadata.finalizers ?? []).includes(NARROW_FINALIZER)) return;
  // By the name it would have, not status.policyName: a policy may exist whose status was never written.
  const policy = platform.getUncached<JsPolicy>('JsPolicy', JSPOLICY_API_VERSION, policyNameFor(gp));
  const step = removalStep(gp, policy, platform.now());
  runStep(platform, step, gp.metadata.name);
  // No garbage collector follows a namespaced owner to its cluster-scoped policy: it goes now, and
  // the finalizer only once it is gone (a failed delete requeues, so nothing dangles).
  if (namespaceBound(gp) !== undefined) removeGenerated(platform, policyNameFor(gp), gp.metadata.uid ?? '');
  const released: KubeObject = { ...gp, metadata: { ...gp.metadata, finalizers: (gp.metadata.finalizers ?? []).filter((f) => f !== NARROW_FINALIZER) } };
  const result = platform.update(released);
  if (!result.ok) platform.log('error', `could not release the finalizer: ${result.reason ?? ''}: ${result.message ?? ''}`, { gptpolicy: gp.metadata.name });
}

function runStep(platform: Platform, step: RemovalStep, owner: string | undefined): void {
  if (step.kind === 'narrow') {
    const result = platform.update(step.policy);
    if (!result.ok) platform.log('error', `could not narrow the policy before removal: ${result.reason ?? ''}: ${result.message ?? ''}`, { gptpolicy: owner });
    platform.requeue('narrowed the policy; waiting for jsPolicy to sync its webhook');
  }
  if (step.kind === 'wait') platform.requeue(step.why);
}

/**
 * Deletes the narrowed policy of the namespaced owner with this uid, then its bundle (a policy
 * without its bundle has no webhook, not the reverse). Each is looked up by name, so a bundle whose
 * policy an earlier run already deleted is not left behind; neither is touched unless its labels
 * name that owner.
 */
function removeGenerated(platform: Platform, name: string, ownerUid: string): void {
  if (!ownerUid) return;
  for (const kind of ['JsPolicy', 'JsPolicyBundle']) {
    const object = platform.getUncached<KubeObject>(kind, JSPOLICY_API_VERSION, name);
    if (object && !object.metadata.deletionTimestamp && object.metadata.labels?.[OWNER_UID_LABEL] === ownerUid) removeOrRequeue(platform, object, kind);
  }
}

function removeOrRequeue(platform: Platform, object: KubeObject, kind: string): void {
  const result = platform.remove(object);
  if (result.ok || result.reason === 'NotFound') return;
  platform.log('error', `could not delete ${kind} ${object.metadata.name ?? ''}: ${result.reason ?? ''}: ${result.message ?? ''}`, {});
  platform.requeue(`retrying the deletion of ${kind} ${object.metadata.name ?? ''}`);
}

/**
 * The orphan sweep: a NamespacedGPTPolicy's policy whose owner is gone (its finalizer removed by
 * hand, or the namespace's objects deleted while the controller was down) is narrowed, then
 * deleted with its bundle, as the finalizer would have done. True when `policy` is such an orphan
 * (the run is then about it alone). Found by its labels, as the owner's uid.
 */
export function sweepIfOrphaned(platform: Platform, policy: JsPolicy): boolean {
  const labels = policy.metadata.labels ?? {};
  const namespace = labels[OWNER_NAMESPACE_LABEL];
  const name = ownerOf(policy);
  if (!namespace || !name) return false;
  const owner = platform.getUncached<GPTPolicy>(NAMESPACED_INTENT.kind, API_VERSION, objectKey(namespace, name));
  if (owner && owner.metadata.uid === labels[OWNER_UID_LABEL]) return false;
  // Read again: the event may be older than the policy. Gone already: only its bundle may be left.
  const current = platform.getUncached<JsPolicy>('JsPolicy', JSPOLICY_API_VERSION, policy.metadata.name ?? '');
  if (!current) removeGenerated(platform, policy.metadata.name ?? '', labels[OWNER_UID_LABEL] ?? '');
  if (!current || current.metadata.labels?.[OWNER_UID_LABEL] !== labels[OWNER_UID_LABEL]) return true;
  platform.log('info', 'removing the policy of a NamespacedGPTPolicy that is gone', { policy: current.metadata.name, owner: objectKey(namespace, name) });
  runStep(platform, narrowingStep(current, platform.now()), name);
  removeGenerated(platform, current.metadata.name ?? '', labels[OWNER_UID_LABEL] ?? '');
  return true;
}

/** Every policy labelled for the NamespacedGPTPolicy `namespace/name`, swept if its owner is gone. */
export function sweepPoliciesOf(platform: Platform, namespace: string, name: string): void {
  if (!namespace || !name) return;
  const policies = platform.listUncached<JsPolicy>('JsPolicy', JSPOLICY_API_VERSION).filter((p) => p.metadata.labels?.[OWNER_NAMESPACE_LABEL] === namespace && ownerOf(p) === name);
  for (const policy of policies) sweepIfOrphaned(platform, policy);
}
