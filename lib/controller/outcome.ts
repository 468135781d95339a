import type { AttemptSummary, FeedbackTurn, GenerationState, GPTPolicy, GPTPolicyStatus } from '../gptpolicy/types.ts';
import type { ActionResult, JsPolicy } from '../k8s/types.ts';
import type { Finding } from '../lint/types.ts';
import type { ModelReply } from '../model/classify-response.ts';
import { parseAnswer } from '../model/parse-answer.ts';
import { buildJsPolicy, type BuildContext } from '../policy/build-jspolicy.ts';
import { clip, feedbackText, judge, judgementSummary, passed, type Checks } from './judge.ts';
import { addUsage, finalStatus, withReady } from './status.ts';

/** Transient model failures tolerated per intent before giving up. */
export const MAX_TRANSIENT_FAILURES = 5;
/** Correction rounds the platform may start per intent, on top of spec.maxAttempts. */
export const MAX_PLATFORM_ROUNDS = 1;
export const DEFAULT_MAX_ATTEMPTS = 3;
const BASE_BACKOFF_SECONDS = 15;
const MAX_BACKOFF_SECONDS = 600;
// Bounds on what the status keeps of the conversation (etcd objects are small).
const MAX_ANSWER = 12_000;

/** What to do once the model has answered (or failed to). */
export type Outcome =
  | { kind: 'status'; status: GPTPolicyStatus; requeue: boolean }
  | { kind: 'apply'; policy: JsPolicy; status: GPTPolicyStatus; answer: string };

export interface ReplyContext {
  build: BuildContext;
  /** The generation toolkit, loaded only when there is an answer to check. */
  checks: () => Checks & { formatFindings(findings: Finding[]): string };
  nowMs: number;
}

export function maxAttempts(gp: GPTPolicy): number {
  return gp.spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
}

/**
 * Decides from the model's reply alone. `gp` is the object as our in-flight write left it, so its
 * status carries the generation state of this attempt.
 */
export function outcomeOfReply(gp: GPTPolicy, generation: GenerationState, reply: ModelReply, ctx: ReplyContext): Outcome {
  const now = new Date(ctx.nowMs).toISOString();
  const settled: GenerationState = { ...generation };
  delete settled.inFlightSince;
  const base: GPTPolicy = { ...gp, status: { ...gp.status, generation: settled } };
  if (reply.kind === 'transient') return retryLater(base, settled, reply.reason, reply.message, reply.retryAfterSeconds, ctx.nowMs);
  if (reply.kind === 'fatal') return { kind: 'status', status: finalStatus(base, settled, false, reply.reason, reply.message, now), requeue: false };

  const counted: GPTPolicy = { ...base, status: { ...base.status, usage: addUsage(gp.status?.usage, reply.completion.usage) } };
  const parsed = parseAnswer(reply.completion);
  if (!parsed.ok) {
    const feedback = `Your answer could not be read: ${parsed.message}. Call submit_policy once with the whole answer: plan, policy, tests.`;
    return correct(counted, settled, { answer: clip(parsed.raw ?? '(no answer)', MAX_ANSWER), feedback }, { outcome: 'malformed', errors: 1, testFailures: 0, summary: parsed.message }, ctx, parsed.reason);
  }
  const answer = clip(parsed.raw, MAX_ANSWER);
  const built = buildJsPolicy(gp, parsed.answer, ctx.build);
  if (!built.ok && built.final) return { kind: 'status', status: finalStatus(counted, settled, false, built.reason, built.message, now), requeue: false };
  if (!built.ok) {
    return correct(counted, settled, { answer, feedback: `Your policy was refused: ${built.message}.` }, { outcome: 'refused', errors: 1, testFailures: 0, summary: built.message }, ctx, built.reason);
  }
  const checks = ctx.checks();
  // Judged against the namespaces the policy really reaches (the intent's own words win).
  const answerInScope = { ...parsed.answer, plan: { ...parsed.answer.plan, namespaces: built.namespaces } };
  const judgement = judge(built.policy, answerInScope, checks);
  const planned = { ...counted.status, plan: answerInScope.plan as unknown as Record<string, unknown>, policyName: ctx.build.name };
  if (!passed(judgement)) {
    const outcome = judgement.errors > 0 ? 'findings' : 'tests-failed';
    const summary = { outcome, errors: judgement.errors, testFailures: judgement.failures.length, summary: judgementSummary(judgement) };
    return correct({ ...counted, status: planned }, settled, { answer, feedback: feedbackText(judgement, checks.formatFindings) }, summary, ctx, 'AttemptsExhausted');
  }
  const attempts = record(planned.attempts, { call: settled.calls, outcome: 'applied', errors: 0, testFailures: 0, summary: judgementSummary(judgement) }, settled);
  // Self-contained: the library helpers it calls are part of the code that is hashed and approved.
  const inlined = checks.inline?.(built.policy.spec.javascript ?? '', answerInScope) ?? { javascript: built.policy.spec.javascript ?? '', used: [] };
  const policy = { ...built.policy, spec: { ...built.policy.spec, javascript: inlined.javascript } };
  const skills = { ...(planned.skills ?? { retrieved: [] }), used: inlined.used };
  return { kind: 'apply', policy, status: { ...planned, attempts, answer, skills }, answer };
}

/**
 * Sends what was wrong back to the model as the next turn, while the attempt budget lasts. Our
 * status write is itself the event that starts the next run, so no requeue is needed.
 */
function correct(gp: GPTPolicy, generation: GenerationState, turn: FeedbackTurn, attempt: Omit<AttemptSummary, 'call'>, ctx: ReplyContext, finalReason: 'MalformedAnswer' | 'PolicyRefused' | 'AttemptsExhausted'): Outcome {
  const now = new Date(ctx.nowMs).toISOString();
  const attempts = record(gp.status?.attempts, { call: generation.calls, ...attempt }, generation);
  const withAttempts: GPTPolicy = { ...gp, status: { ...gp.status, attempts } };
  if (generation.calls >= maxAttempts(gp)) {
    const message = `no acceptable policy after ${generation.calls} model calls; nothing was applied. Last: ${attempt.summary}`;
    return { kind: 'status', status: finalStatus(withAttempts, generation, false, finalReason, message, now), requeue: false };
  }
  const next: GenerationState = { ...generation, turns: [...(generation.turns ?? []), turn] };
  const status = withReady(withAttempts, { ...withAttempts.status, generation: next }, false, 'Correcting', `attempt ${generation.calls}: ${attempt.summary}; asking the model to fix it`, now);
  return { kind: 'status', status, requeue: false };
}

/** Only the current intent's attempts matter: the first answer of an intent starts a new list. */
function record(attempts: readonly AttemptSummary[] | undefined, attempt: AttemptSummary, generation: GenerationState): AttemptSummary[] {
  const first = generation.calls === 1 && (generation.turns ?? []).length === 0 && attempt.outcome !== 'rejected' && attempt.outcome !== 'compile-failed' && attempt.outcome !== 'runtime-error';
  const kept = first ? [] : [...(attempts ?? [])];
  return [...kept, attempt].slice(-(DEFAULT_MAX_ATTEMPTS + 3));
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

/**
 * The status once the policy was written. A rejection by the API server is feedback too: it
 * starts one more correction round (the platform's), on top of the attempt budget.
 */
export function statusAfterApply(gp: GPTPolicy, generation: GenerationState, pending: GPTPolicyStatus, result: ActionResult | 'not-ours', answer: string, nowMs: number): GPTPolicyStatus {
  const now = new Date(nowMs).toISOString();
  const withPending: GPTPolicy = { ...gp, status: pending };
  const name = pending.policyName ?? '';
  if (result === 'not-ours') {
    const message = `JsPolicy ${name} exists and is not owned by this GPTPolicy; it was left alone. Delete it or rename this GPTPolicy`;
    return finalStatus({ ...withPending, status: { ...pending, policyName: undefined } }, generation, false, 'PolicyNameTaken', message, now);
  }
  if (!result.ok) {
    const problem = `the API server refused JsPolicy ${name}: ${result.reason ?? 'Error'}: ${result.message ?? ''}`;
    return platformFeedback(withPending, generation, answer, problem, 'rejected', nowMs) ?? finalStatus(withPending, generation, false, 'PolicyRejected', problem, now);
  }
  return finalStatus(withPending, generation, true, 'PolicyApplied', `JsPolicy ${name} is applied`, now);
}

/**
 * A correction round started by the platform (a rejected write, a compile failure jsPolicy
 * reports later), or undefined when this intent already had its platform round.
 */
export function platformFeedback(gp: GPTPolicy, generation: GenerationState, answer: string, problem: string, outcome: 'rejected' | 'compile-failed' | 'runtime-error', nowMs: number): GPTPolicyStatus | undefined {
  const rounds = generation.platformRounds ?? 0;
  if (rounds >= MAX_PLATFORM_ROUNDS) return undefined;
  const now = new Date(nowMs).toISOString();
  const turn: FeedbackTurn = { answer, feedback: clip(`Your policy passed our checks but ${problem}. Fix it and call submit_policy again with the whole corrected answer.`, 4000) };
  const next: GenerationState = { ...generation, platformRounds: rounds + 1, turns: [...(generation.turns ?? []), turn] };
  delete next.inFlightSince;
  const attempts = record(gp.status?.attempts, { call: generation.calls, outcome, errors: 1, testFailures: 0, summary: clip(problem, 300) }, generation);
  const { intentHash: _reopened, ...rest } = gp.status ?? {};
  return withReady(gp, { ...rest, attempts, generation: next }, false, 'Correcting', `${clip(problem, 300)}; asking the model to fix it`, now);
}
