import { JSPOLICY_API_VERSION } from '../gptpolicy/api.ts';
import type { GenerationState, GPTPolicy, GPTPolicyStatus } from '../gptpolicy/types.ts';
import { BUILTIN_RESOURCES } from '../k8s/builtin-resources.ts';
import { crdToServedResources } from '../k8s/crd-resources.ts';
import type { ActionResult, AdmissionRequest, JsPolicy, KubeObject } from '../k8s/types.ts';
import { buildChatRequest, buildMessages } from '../model/chat-request.ts';
import { callModel } from '../platform/call-model.ts';
import { writeStatus, type StatusWrite } from '../platform/kube-api.ts';
import type { Platform } from '../platform/platform.ts';
import { readConfig } from '../platform/read-config.ts';
import { protectedNamespaces } from '../policy/guardrails.ts';
import { compileFailure, ownerOf } from './compile-feedback.ts';
import { generatedPolicyName } from './naming.ts';
import { nextStep } from './next-step.ts';
import { outcomeOfReply, platformFeedback, statusAfterApply } from './outcome.ts';
import { isOwnedBy, samePolicy } from './ownership.ts';
import { finalStatus } from './status.ts';

const PLURAL = 'gptpolicies';

/**
 * One controller run for one event: a GPTPolicy (its intent) or a JsPolicy we generated (jsPolicy
 * reporting it could not compile it). At most one model call per run, and only after a status
 * write has recorded it, so a run that jsPolicy kills mid-call is seen by the next event.
 */
export function reconcile(platform: Platform, request: AdmissionRequest): void {
  // Deletion needs nothing from us: the generated policy carries an ownerReference, so the
  // garbage collector removes it with its owner.
  if (request.operation === 'DELETE' || !request.object || request.object.metadata.deletionTimestamp) return;
  if (request.kind.kind === 'JsPolicy') {
    onGeneratedPolicy(platform, request.object as JsPolicy);
    return;
  }
  const gp = request.object as GPTPolicy;
  const step = nextStep(gp, platform.now());
  if (step.kind === 'idle') return;
  platform.log('info', step.why, { gptpolicy: gp.metadata.name, step: step.kind });
  if (step.kind === 'wait') platform.requeue(step.why);
  if (step.kind === 'record') {
    putStatus(platform, gp, step.status);
    return;
  }
  generate(platform, gp, step.generation, step.status);
}

function generate(platform: Platform, gp: GPTPolicy, generation: GenerationState, inFlight: GPTPolicyStatus): void {
  const config = readConfig(platform, gp.spec.model);
  if (!config.ok) {
    // No model call happened: record the reason without spending the attempt.
    const unspent = { ...generation, calls: generation.calls - 1 };
    putStatus(platform, gp, finalStatus(gp, unspent, false, config.reason, config.message, new Date(platform.now()).toISOString()));
    return;
  }
  // Written with the resourceVersion we were handed: if the object moved on, this run is stale
  // and its successor (already queued by that change) decides instead — no call on stale state.
  const started = putStatus(platform, gp, inFlight, { retryOnConflict: false });
  if (!started.ok) return;
  const current = started.object as GPTPolicy;
  const { model } = config.config;
  const body = buildChatRequest(model, buildMessages(gp.spec.description, generation.turns ?? [], model.toolMode));
  const reply = callModel(platform, config.config, body);
  platform.log('info', 'model answered', { gptpolicy: gp.metadata.name, call: generation.calls, result: reply.kind, reason: 'reason' in reply ? reply.reason : undefined });
  const build = {
    name: generatedPolicyName(gp.metadata.name ?? ''),
    intentHash: generation.intentHash,
    guardrails: { protectedNamespaces: protectedNamespaces(config.config.jsPolicyNamespace, config.config.extraProtectedNamespaces) },
  };
  const checks = () => platform.toolkit().checks(discovery(platform));
  const outcome = outcomeOfReply(current, generation, reply, { build, checks, nowMs: platform.now() });
  if (outcome.kind === 'status') {
    putStatus(platform, current, outcome.status);
    if (outcome.requeue) platform.requeue('model call failed, retrying after backoff');
    return;
  }
  const applied = applyPolicy(platform, current, outcome.policy);
  const settled = { ...generation };
  delete settled.inFlightSince;
  putStatus(platform, current, statusAfterApply(current, settled, outcome.status, applied, outcome.answer, platform.now()));
}

/**
 * Built-in kinds plus the cluster's CRDs, read uncached: a cached list would keep an informer
 * over every CRD in jsPolicy's memory. Read only when there is an answer to check.
 */
function discovery(platform: Platform) {
  const crds = platform.listUncached<KubeObject>('CustomResourceDefinition', 'apiextensions.k8s.io/v1');
  return [...BUILTIN_RESOURCES, ...crds.flatMap(crdToServedResources)];
}

/** Creates the policy, or updates it when it is ours; never touches one we do not own. */
function applyPolicy(platform: Platform, owner: GPTPolicy, desired: JsPolicy): ActionResult | 'not-ours' {
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

/**
 * jsPolicy compiles a policy after our create() and reports failure only in the policy's status
 * (CompileFailed; it then removes the policy's webhooks, so nothing is enforced). That starts the
 * platform's correction round, once per intent. Every other JsPolicy event ends at the first check.
 */
function onGeneratedPolicy(platform: Platform, policy: JsPolicy): void {
  const ownerName = ownerOf(policy);
  const failure = ownerName ? compileFailure(policy) : undefined;
  if (!ownerName || failure === undefined) return;
  const gp = platform.getUncached<GPTPolicy>('GPTPolicy', 'gptpolicy.dev/v1alpha1', ownerName);
  const status = gp?.status;
  // Only for the policy this GPTPolicy last applied, and only while that outcome stands.
  if (!gp || !status?.generation || !isOwnedBy(policy, gp) || status.policyName !== policy.metadata.name || status.intentHash !== status.generation.intentHash) return;
  if (status.conditions?.some((c) => c.type === 'Ready' && c.reason === 'PolicyCompileFailed')) return;
  platform.log('info', 'jsPolicy could not compile the generated policy', { gptpolicy: ownerName, policy: policy.metadata.name });
  const problem = `jsPolicy could not compile it (CompileFailed): ${failure}`;
  const next =
    platformFeedback(gp, status.generation, status.answer ?? '', problem, 'compile-failed', platform.now()) ??
    finalStatus(gp, status.generation, false, 'PolicyCompileFailed', problem, new Date(platform.now()).toISOString());
  putStatus(platform, gp, next);
}

/**
 * Writes our status. After the model call a conflict only means someone touched the object
 * meanwhile; the status is ours alone, so it is written again onto the fresh object.
 */
function putStatus(platform: Platform, gp: GPTPolicy, status: GPTPolicyStatus, options = { retryOnConflict: true }): StatusWrite {
  const first = writeStatus(platform, { ...gp, status }, PLURAL);
  if (first.ok || first.code !== 409 || !options.retryOnConflict) return report(platform, gp, first);
  const fresh = platform.getUncached<GPTPolicy>(gp.kind, gp.apiVersion, gp.metadata.name ?? '');
  if (!fresh) return report(platform, gp, first);
  return report(platform, gp, writeStatus(platform, { ...fresh, status: { ...status, observedGeneration: fresh.metadata.generation } }, PLURAL));
}

function report(platform: Platform, gp: GPTPolicy, result: StatusWrite): StatusWrite {
  if (!result.ok) platform.log('error', `status write failed: ${result.reason}: ${result.message}`, { gptpolicy: gp.metadata.name });
  return result;
}
