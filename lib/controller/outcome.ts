import type { GenerationState, GPTPolicy, GPTPolicyStatus } from '../gptpolicy/types.ts';
import type { ActionResult, JsPolicy } from '../k8s/types.ts';
import type { ModelReply } from '../model/classify-response.ts';
import { parseAnswer } from '../model/parse-answer.ts';
import { buildJsPolicy, type BuildContext } from '../policy/build-jspolicy.ts';
import { addUsage, finalStatus, withReady } from './status.ts';

/** Transient model failures tolerated per intent before giving up. */
export const MAX_TRANSIENT_FAILURES = 5;
const BASE_BACKOFF_SECONDS = 15;
const MAX_BACKOFF_SECONDS = 600;

/** What to do once the model has answered (or failed to). */
export type Outcome =
  | { kind: 'status'; status: GPTPolicyStatus; requeue: boolean }
  | { kind: 'apply'; policy: JsPolicy; status: GPTPolicyStatus };

/**
 * Decides from the model's reply alone. `gp` is the object as our in-flight write left it, so its
 * status carries the generation state of this attempt.
 */
export function outcomeOfReply(gp: GPTPolicy, generation: GenerationState, reply: ModelReply, build: BuildContext, nowMs: number): Outcome {
  const now = new Date(nowMs).toISOString();
  const settled: GenerationState = { ...generation };
  delete settled.inFlightSince;
  const base: GPTPolicy = { ...gp, status: { ...gp.status, generation: settled } };
  if (reply.kind === 'transient') return retryLater(base, settled, reply.reason, reply.message, reply.retryAfterSeconds, nowMs);
  if (reply.kind === 'fatal') return { kind: 'status', status: finalStatus(base, settled, false, reply.reason, reply.message, now), requeue: false };

  const usage = addUsage(gp.status?.usage, reply.completion.usage);
  const counted: GPTPolicy = { ...base, status: { ...base.status, usage } };
  const parsed = parseAnswer(reply.completion);
  if (!parsed.ok) return { kind: 'status', status: finalStatus(counted, settled, false, parsed.reason, parsed.message, now), requeue: false };
  const built = buildJsPolicy(gp, parsed.answer, build);
  if (!built.ok) return { kind: 'status', status: finalStatus(counted, settled, false, built.reason, built.message, now), requeue: false };
  const planned = { ...counted.status, plan: parsed.answer.plan as unknown as Record<string, unknown>, policyName: build.name };
  return { kind: 'apply', policy: built.policy, status: planned };
}

function retryLater(gp: GPTPolicy, generation: GenerationState, reason: 'ModelRateLimited' | 'ModelUnavailable' | 'ModelUnreachable', message: string, retryAfter: number | undefined, nowMs: number): Outcome {
  const now = new Date(nowMs).toISOString();
  const failures = generation.transientFailures + 1;
  // A failed call was not an attempt at the policy: give the call back to the attempt budget.
  const next: GenerationState = { ...generation, calls: generation.calls - 1, transientFailures: failures };
  if (failures >= MAX_TRANSIENT_FAILURES) {
    const gaveUp = `${message}; gave up after ${failures} tries, change the gptpolicy.dev/regenerate annotation to try again`;
    return { kind: 'status', status: finalStatus(gp, next, false, reason, gaveUp, now), requeue: false };
  }
  const backoff = Math.min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** (failures - 1));
  const delay = Math.max(backoff, retryAfter ?? 0);
  next.notBefore = new Date(nowMs + delay * 1000).toISOString();
  const status = withReady(gp, { ...gp.status, generation: next }, false, reason, `${message}; next try after ${next.notBefore}`, now);
  return { kind: 'status', status, requeue: true };
}

/** The final status once the policy was written (or refused by the API server). */
export function statusAfterApply(gp: GPTPolicy, generation: GenerationState, pending: GPTPolicyStatus, result: ActionResult | 'not-ours', nowMs: number): GPTPolicyStatus {
  const now = new Date(nowMs).toISOString();
  const withPending: GPTPolicy = { ...gp, status: pending };
  const name = pending.policyName ?? '';
  if (result === 'not-ours') {
    const message = `JsPolicy ${name} exists and is not owned by this GPTPolicy; it was left alone. Delete it or rename this GPTPolicy`;
    return finalStatus({ ...withPending, status: { ...pending, policyName: undefined } }, generation, false, 'PolicyNameTaken', message, now);
  }
  if (!result.ok) {
    return finalStatus(withPending, generation, false, 'PolicyRejected', `the API server refused JsPolicy ${name}: ${result.reason ?? 'Error'}: ${result.message ?? ''}`, now);
  }
  return finalStatus(withPending, generation, true, 'PolicyApplied', `JsPolicy ${name} is applied`, now);
}
