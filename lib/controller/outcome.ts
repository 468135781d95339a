import type { AttemptSummary, FeedbackTurn, GenerationState, GPTPolicy, GPTPolicyStatus } from '../gptpolicy/types.ts';
import type { PolicyPlan } from '../model/answer.ts';
import type { Tokens } from '../model/usage.ts';
import type { RolloutStatus } from '../rollout/types.ts';
import { ANSWER_BOUNDS } from '../model/answer-bounds.ts';
import { clip } from '../util/clip.ts';
import { judgementSummary } from './judge.ts';
import type { PipelineResult, Stage } from './pipeline.ts';
import { addUsage, finalStatus, withoutMarks, withReady } from './status.ts';

/** Transient model failures tolerated per intent before giving up. */
export const MAX_TRANSIENT_FAILURES = 5;
/** Correction rounds the platform may start per intent, on top of spec.maxAttempts. */
export const MAX_PLATFORM_ROUNDS = 1;
export const DEFAULT_MAX_ATTEMPTS = 3;
const BASE_BACKOFF_SECONDS = 15;
const MAX_BACKOFF_SECONDS = 600;
/** What one turn's feedback and one attempt's summary may be (README, "Status bounds"). */
export const MAX_FEEDBACK = 4000;
export const MAX_SUMMARY = 300;

export function maxAttempts(gp: GPTPolicy): number {
  return gp.spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
}

/** What the run did with a policy that passed every check (generate, after the pipeline). */
export interface Applied {
  passed: Extract<PipelineResult, { kind: 'passed' }>;
  rollout: RolloutStatus;
  impact: Record<string, unknown> | undefined;
}

/**
 * Every way an attempt can end — or pause — and the events that continue it later: the one input
 * from which `decide` derives the status. A new failure mode is one more case here and in decide.
 */
export type Ending =
  /** No call was made (configuration, the toolkit, a namespaced intent no answer could serve): the attempt is given back. */
  | { kind: 'not-started'; reason: 'NoApiKey' | 'BadConfig' | 'PolicyRefused'; message: string }
  | { kind: 'transient'; reason: 'ModelRateLimited' | 'ModelUnavailable' | 'ModelUnreachable'; message: string; retryAfterSeconds?: number }
  | { kind: 'fatal'; reason: 'ModelAuthFailed' | 'ModelRequestRejected' | 'ModelBadResponse'; message: string }
  /** The mark written before the call (`generation` carries inFlightSince and the call's number). */
  | { kind: 'calling' }
  /** The mark written right after the call returned, before any check: its usage, and where the run is. */
  | { kind: 'answered'; tokens: Tokens }
  | Extract<PipelineResult, { kind: 'malformed' | 'refused' | 'failed' }>
  | ({ kind: 'applied' } & Applied)
  /** The API server refused the policy: the platform's correction round, or PolicyRejected. */
  | ({ kind: 'rejected'; problem: string } & Applied)
  | ({ kind: 'name-taken' } & Applied)
  /** The removal finalizer could not be added (being deleted, or not writable now): nothing applied, the attempt given back. */
  | { kind: 'not-writable' }
  /** jsPolicy reported it could not compile the applied policy (a later event). */
  | { kind: 'compile-failed'; problem: string }
  /** The applied policy threw in the cluster while Dry or Warn (a later event). */
  | { kind: 'runtime-error'; problem: string }
  /** A run left its mark and never wrote an outcome (found by the next event). */
  | { kind: 'interrupted'; during: 'model-call' | 'checking'; since: string }
  /** …but it had applied the policy of this intent, and lost only its last status write (recover.ts). */
  | { kind: 'recovered'; policyName: string; rollout: RolloutStatus; impact: Record<string, unknown> }
  /** A controller bug, caught: what and where. `policyName`: a policy this run had already applied. */
  | { kind: 'controller-error'; where: Stage | 'prompt' | 'model call' | 'apply' | 'status' | 'reconcile'; error: string; callSpent: boolean; policyName?: string };

export interface Decision {
  status: GPTPolicyStatus;
  /** Ask jsPolicy to run the object again (a backoff before the next call). */
  requeue: boolean;
}

/**
 * The status for how an attempt ended. `gp` is the object as the run last wrote it (its status
 * carries this attempt's usage once the answered mark is written); `generation` is the attempt's.
 */
export function decide(gp: GPTPolicy, generation: GenerationState, ending: Ending, nowMs: number): Decision {
  const now = new Date(nowMs).toISOString();
  const settled = withoutMarks(generation);
  const base: GPTPolicy = { ...gp, status: { ...gp.status, generation: settled } };
  const done = (status: GPTPolicyStatus): Decision => ({ status, requeue: false });
  const given = (g: GenerationState): GenerationState => ({ ...g, calls: Math.max(0, g.calls - 1) });
  switch (ending.kind) {
    case 'not-started':
      return done(finalStatus(gp, given(settled), false, ending.reason, ending.message, now));
    case 'transient':
      return retryLater(base, settled, ending.reason, ending.message, ending.retryAfterSeconds, nowMs);
    case 'fatal':
      return done(finalStatus(base, settled, false, ending.reason, ending.message, now));
    case 'calling':
      return done(withReady(gp, { ...gp.status, generation }, false, 'Generating', `calling the model (attempt ${generation.calls})`, now));
    case 'answered': {
      const marked: GenerationState = { ...settled, answeredAt: now };
      const status = { ...gp.status, generation: marked, usage: addUsage(gp.status?.usage, ending.tokens) };
      return done(withReady(gp, status, false, 'Checking', `the model answered (attempt ${generation.calls}); checking its answer`, now));
    }
    case 'malformed': {
      const list = ending.findings.map((f) => `- ${f}`).join('\n');
      const feedback = clip(`Your answer could not be read (${ending.stage}):\n${list}\nCall submit_policy once with the whole corrected answer: plan, policy, tests.`, MAX_FEEDBACK);
      const more = ending.findings.length > 1 ? ` (and ${ending.findings.length - 1} more)` : '';
      const summary = clip(`${ending.findings[0] ?? 'no answer'}${more}`, MAX_SUMMARY);
      return correct(base, settled, { answer: clip(ending.answerText || '(no answer)', ANSWER_BOUNDS.answerChars), feedback }, { outcome: 'malformed', errors: ending.findings.length, testFailures: 0, summary }, now, 'MalformedAnswer');
    }
    case 'refused': {
      if (ending.final) return done(finalStatus(base, settled, false, ending.reason, ending.message, now));
      const turn = { answer: ending.answerText, feedback: clip(`Your policy was refused: ${ending.message}.`, MAX_FEEDBACK) };
      return correct(base, settled, turn, { outcome: 'refused', errors: 1, testFailures: 0, summary: clip(ending.message, MAX_SUMMARY) }, now, ending.reason);
    }
    case 'failed': {
      const planned: GPTPolicy = { ...base, status: { ...base.status, plan: planStatus(ending.plan) } };
      const { judgement } = ending;
      const attempt = { outcome: ending.stage === 'lint' ? 'findings' : 'tests-failed', errors: judgement.errors, testFailures: judgement.failures.length, summary: judgementSummary(judgement) };
      return correct(planned, settled, { answer: ending.answerText, feedback: ending.feedback }, attempt, now, 'AttemptsExhausted');
    }
    case 'applied':
    case 'rejected':
    case 'name-taken': {
      const { passed, rollout, impact } = ending;
      const name = passed.policy.metadata.name ?? '';
      const attempts = record(gp.status?.attempts, { call: settled.calls, outcome: 'applied', errors: 0, testFailures: 0, summary: judgementSummary(passed.judgement) }, settled);
      const skills = { ...(gp.status?.skills ?? { retrieved: [] }), used: passed.used };
      const pending: GPTPolicy = { ...base, status: { ...base.status, plan: planStatus(passed.plan), policyName: name, attempts, answer: passed.answerText, skills, rollout, impact } };
      if (ending.kind === 'name-taken') {
        const message = `JsPolicy ${name} exists and is not owned by this GPTPolicy; it was left alone. Delete it or rename this GPTPolicy`;
        return done(finalStatus({ ...pending, status: { ...pending.status, policyName: undefined } }, settled, false, 'PolicyNameTaken', message, now));
      }
      if (ending.kind === 'rejected') {
        const problem = `the API server refused JsPolicy ${name}: ${ending.problem}`;
        return done(platformRound(pending, settled, passed.answerText, problem, 'rejected', now) ?? finalStatus(pending, settled, false, 'PolicyRejected', problem, now));
      }
      return done(finalStatus(pending, settled, true, 'PolicyApplied', `JsPolicy ${name} is applied`, now));
    }
    case 'not-writable':
      return done(withReady(gp, { ...gp.status, generation: given(settled) }, false, 'Generating', 'the removal finalizer could not be added, so nothing was applied; the next event of this GPTPolicy tries again', now));
    case 'compile-failed': {
      const problem = `jsPolicy could not compile it (CompileFailed): ${ending.problem}`;
      return done(platformRound(gp, generation, gp.status?.answer ?? '', problem, 'compile-failed', now) ?? finalStatus(gp, generation, false, 'PolicyCompileFailed', problem, now));
    }
    case 'runtime-error':
      return done(platformRound(gp, generation, gp.status?.answer ?? '', ending.problem, 'runtime-error', now) ?? gp.status ?? {});
    case 'interrupted': {
      const message =
        ending.during === 'model-call'
          ? `the run calling the model (since ${ending.since}) ended before the answer came back, most likely killed at the controller's timeoutSeconds; use a faster model or a lower GPTPOLICY_MAX_TOKENS, then change the gptpolicy.dev/regenerate annotation to try again`
          : `the run checking the model's answer (attempt ${generation.calls}, answered at ${ending.since}) ended before it wrote an outcome, most likely killed at the controller's timeoutSeconds while the answer's test cases ran, or out of memory; the usage is kept and nothing of this answer was applied. Change the gptpolicy.dev/regenerate annotation to try again`;
      return done(finalStatus(gp, generation, false, ending.during === 'model-call' ? 'ModelCallInterrupted' : 'RunInterrupted', message, now));
    }
    case 'recovered': {
      const withPolicy: GPTPolicy = { ...gp, status: { ...gp.status, policyName: ending.policyName, rollout: ending.rollout, impact: ending.impact } };
      return done(finalStatus(withPolicy, generation, true, 'PolicyApplied', `JsPolicy ${ending.policyName} is applied (the run that applied it ended before it could write this status)`, now));
    }
    case 'controller-error': {
      const kept = ending.callSpent ? settled : given(settled);
      const applied = ending.policyName ? `JsPolicy ${ending.policyName} was applied before it` : 'nothing was applied';
      const message = clip(`controller error during ${ending.where}: ${ending.error} — a bug in gptpolicy (its stack is in jsPolicy's log); ${applied}. Change the gptpolicy.dev/regenerate annotation to try again`, 1000);
      const withPolicy: GPTPolicy = ending.policyName ? { ...gp, status: { ...gp.status, policyName: ending.policyName } } : gp;
      return done(finalStatus(withPolicy, kept, false, 'ControllerError', message, now));
    }
  }
}

/** The plan as the status keeps it: exactly the validated plan's fields, nothing nested (its bounds are the answer's). */
function planStatus(plan: PolicyPlan): Record<string, unknown> {
  return {
    summary: plan.summary,
    resources: plan.resources.map((r) => ({ group: r.group, version: r.version, resource: r.resource })),
    operations: [...plan.operations],
    namespaces: [...plan.namespaces],
    denies: plan.denies,
    allows: plan.allows,
    mutates: plan.mutates,
  };
}

/**
 * Sends what was wrong back to the model as the next turn, while the attempt budget lasts. Our
 * status write is itself the event that starts the next run, so no requeue is needed.
 */
function correct(gp: GPTPolicy, generation: GenerationState, turn: FeedbackTurn, attempt: Omit<AttemptSummary, 'call'>, now: string, finalReason: 'MalformedAnswer' | 'PolicyRefused' | 'AttemptsExhausted'): Decision {
  const attempts = record(gp.status?.attempts, { call: generation.calls, ...attempt }, generation);
  const withAttempts: GPTPolicy = { ...gp, status: { ...gp.status, attempts } };
  if (generation.calls >= maxAttempts(gp)) {
    const message = clip(`no acceptable policy after ${generation.calls} model calls; nothing was applied. Last: ${attempt.summary}`, 1000);
    return { status: finalStatus(withAttempts, generation, false, finalReason, message, now), requeue: false };
  }
  const next: GenerationState = { ...generation, turns: [...(generation.turns ?? []), turn] };
  const status = withReady(withAttempts, { ...withAttempts.status, generation: next }, false, 'Correcting', clip(`attempt ${generation.calls}: ${attempt.summary}; asking the model to fix it`, 1000), now);
  return { status, requeue: false };
}

/** Only the current intent's attempts matter: the first answer of an intent starts a new list. */
function record(attempts: readonly AttemptSummary[] | undefined, attempt: AttemptSummary, generation: GenerationState): AttemptSummary[] {
  const first = generation.calls === 1 && (generation.turns ?? []).length === 0 && attempt.outcome !== 'rejected' && attempt.outcome !== 'compile-failed' && attempt.outcome !== 'runtime-error';
  const kept = first ? [] : [...(attempts ?? [])];
  return [...kept, attempt].slice(-(DEFAULT_MAX_ATTEMPTS + 3));
}

function retryLater(gp: GPTPolicy, generation: GenerationState, reason: 'ModelRateLimited' | 'ModelUnavailable' | 'ModelUnreachable', message: string, retryAfter: number | undefined, nowMs: number): Decision {
  const now = new Date(nowMs).toISOString();
  const failures = generation.transientFailures + 1;
  // A failed call was not an attempt at the policy: give the call back to the attempt budget.
  const next: GenerationState = { ...generation, calls: generation.calls - 1, transientFailures: failures };
  if (failures >= MAX_TRANSIENT_FAILURES) {
    const gaveUp = `${message}; gave up after ${failures} tries, change the gptpolicy.dev/regenerate annotation to try again`;
    return { status: finalStatus(gp, next, false, reason, gaveUp, now), requeue: false };
  }
  const backoff = Math.min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** (failures - 1));
  const delay = Math.max(backoff, retryAfter ?? 0);
  next.notBefore = new Date(nowMs + delay * 1000).toISOString();
  const status = withReady(gp, { ...gp.status, generation: next }, false, reason, `${message}; next try after ${next.notBefore}`, now);
  return { status, requeue: true };
}

/**
 * A correction round started by the platform (a rejected write, a compile failure jsPolicy
 * reports later, a code error in the cluster), or undefined when this intent already had its platform round.
 */
function platformRound(gp: GPTPolicy, generation: GenerationState, answer: string, problem: string, outcome: 'rejected' | 'compile-failed' | 'runtime-error', now: string): GPTPolicyStatus | undefined {
  const rounds = generation.platformRounds ?? 0;
  if (rounds >= MAX_PLATFORM_ROUNDS) return undefined;
  const turn: FeedbackTurn = { answer, feedback: clip(`Your policy passed our checks but ${problem}. Fix it and call submit_policy again with the whole corrected answer.`, MAX_FEEDBACK) };
  const next: GenerationState = { ...withoutMarks(generation), platformRounds: rounds + 1, turns: [...(generation.turns ?? []), turn] };
  const attempts = record(gp.status?.attempts, { call: generation.calls, outcome, errors: 1, testFailures: 0, summary: clip(problem, MAX_SUMMARY) }, generation);
  const { intentHash: _reopened, ...rest } = gp.status ?? {};
  return withReady(gp, { ...rest, attempts, generation: next }, false, 'Correcting', `${clip(problem, MAX_SUMMARY)}; asking the model to fix it`, now);
}
