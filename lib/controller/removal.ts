import { JSPOLICY_API_VERSION } from '../gptpolicy/api.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { JsPolicy, KubeObject, LabelSelector } from '../k8s/types.ts';
import type { Platform } from '../platform/platform.ts';
import { generatedPolicyName } from './naming.ts';
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
  if (!policy || !isOwnedBy(policy, gp) || policy.metadata.deletionTimestamp) return { kind: 'release' };
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
  const policy = platform.getUncached<JsPolicy>('JsPolicy', JSPOLICY_API_VERSION, generatedPolicyName(gp.metadata.name ?? ''));
  const step = removalStep(gp, policy, platform.now());
  if (step.kind === 'narrow') {
    const result = platform.update(step.policy);
    if (!result.ok) platform.log('error', `could not narrow the policy before removal: ${result.reason ?? ''}: ${result.message ?? ''}`, { gptpolicy: gp.metadata.name });
    platform.requeue('narrowed the policy; waiting for jsPolicy to sync its webhook');
  }
  if (step.kind === 'wait') platform.requeue(step.why);
  const released: KubeObject = { ...gp, metadata: { ...gp.metadata, finalizers: (gp.metadata.finalizers ?? []).filter((f) => f !== NARROW_FINALIZER) } };
  const result = platform.update(released);
  if (!result.ok) platform.log('error', `could not release the finalizer: ${result.reason ?? ''}: ${result.message ?? ''}`, { gptpolicy: gp.metadata.name });
}
