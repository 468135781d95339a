import { JSPOLICY_API_VERSION } from '../gptpolicy/api.ts';
import type { GenerationState, GPTPolicy, GPTPolicyStatus } from '../gptpolicy/types.ts';
import type { ActionResult, AdmissionRequest, JsPolicy } from '../k8s/types.ts';
import { buildChatRequest, buildMessages } from '../model/chat-request.ts';
import { callModel } from '../platform/call-model.ts';
import { writeStatus, type StatusWrite } from '../platform/kube-api.ts';
import type { Platform } from '../platform/platform.ts';
import { readConfig } from '../platform/read-config.ts';
import { protectedNamespaces } from '../policy/guardrails.ts';
import { generatedPolicyName } from './naming.ts';
import { nextStep } from './next-step.ts';
import { outcomeOfReply, statusAfterApply } from './outcome.ts';
import { finalStatus } from './status.ts';
import { isOwnedBy, samePolicy } from './ownership.ts';

const PLURAL = 'gptpolicies';

/**
 * One controller run for one GPTPolicy event. At most one model call, and only after a status
 * write has recorded it, so a run that jsPolicy kills mid-call is seen by the next event.
 */
export function reconcile(platform: Platform, request: AdmissionRequest): void {
  const gp = request.object as GPTPolicy | null;
  // Deletion needs nothing from us: the generated policy carries an ownerReference, so the
  // garbage collector removes it with its owner.
  if (request.operation === 'DELETE' || !gp || gp.metadata.deletionTimestamp) return;
  const step = nextStep(gp, platform.now());
  if (step.kind === 'idle') return;
  const name = gp.metadata.name ?? '';
  platform.log('info', step.why, { gptpolicy: name, step: step.kind });
  if (step.kind === 'wait') platform.requeue(step.why);
  if (step.kind === 'record') {
    putStatus(platform, gp, step.status);
    return;
  }
  generate(platform, gp, step.generation, step.status);
}

function generate(platform: Platform, gp: GPTPolicy, generation: GenerationState, inFlight: GPTPolicyStatus): void {
  const now = platform.now();
  const config = readConfig(platform, gp.spec.model);
  if (!config.ok) {
    // No model call happened: record the reason without spending the attempt.
    putStatus(platform, gp, finalStatus(gp, { ...generation, calls: generation.calls - 1 }, false, config.reason, config.message, new Date(now).toISOString()));
    return;
  }
  // Written with the resourceVersion we were handed: if the object moved on, this run is stale
  // and its successor (already queued by that change) decides instead — no call on stale state.
  const started = putStatus(platform, gp, inFlight, { retryOnConflict: false });
  if (!started.ok) return;
  const current = started.object as GPTPolicy;
  const body = buildChatRequest(config.config.model, buildMessages(gp.spec.description, [], config.config.model.toolMode));
  const reply = callModel(platform, config.config, body);
  platform.log('info', 'model answered', { gptpolicy: gp.metadata.name, result: reply.kind, reason: 'reason' in reply ? reply.reason : undefined });
  const build = {
    name: generatedPolicyName(gp.metadata.name ?? ''),
    intentHash: generation.intentHash,
    guardrails: { protectedNamespaces: protectedNamespaces(config.config.jsPolicyNamespace, config.config.extraProtectedNamespaces) },
  };
  const outcome = outcomeOfReply(current, generation, reply, build, platform.now());
  if (outcome.kind === 'status') {
    putStatus(platform, current, outcome.status);
    if (outcome.requeue) platform.requeue(`model call failed, retrying after backoff`);
    return;
  }
  const applied = applyPolicy(platform, current, outcome.policy);
  const settled = { ...generation };
  delete settled.inFlightSince;
  putStatus(platform, current, statusAfterApply(current, settled, outcome.status, applied, platform.now()));
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
