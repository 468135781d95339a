// The curriculum's decisions, as pure functions of the goal (and, after a call, of its answer):
// what a run does, and the status each ending leaves. Side effects live in controller.ts.
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { Condition } from '../k8s/types.ts';
import type { Tokens } from '../model/usage.ts';
import { clip } from '../util/clip.ts';
import { canonicalJson, sha256Hex } from '../util/sha256.ts';
import { retryable } from './narrow.ts';
import { DEFAULT_MAX_POLICIES, DEFAULT_TOKEN_BUDGET, type GoalChild, type GoalFailure, type GoalUsage, type PolicyGoal, type PolicyGoalStatus, type StopReason } from './types.ts';

/** Unreadable or refused proposals in a row before the curriculum stops. */
export const MAX_PROPOSAL_FAILURES = 3;
/** Rate limits, server errors and unreachable endpoints in a row before it stops. */
export const MAX_TRANSIENT_FAILURES = 5;
const BASE_BACKOFF_SECONDS = 15;
const MAX_BACKOFF_SECONDS = 600;
/** The status keeps the newest failures and clips what the model or a child wrote. */
export const MAX_FAILURES_KEPT = 20;
const MAX_MESSAGE = 500;

export type GoalStep =
  | { kind: 'idle'; why: string }
  | { kind: 'wait'; why: string }
  /** A status to write, no call: a new spec observed, or the curriculum stopped. */
  | { kind: 'record'; why: string; status: PolicyGoalStatus }
  /** A proposal run left its mark and no outcome. */
  | { kind: 'interrupted'; why: string; since: string }
  /** The spec changed while a child is in flight: is it still there? */
  | { kind: 'check-in-flight'; why: string; status: PolicyGoalStatus }
  | { kind: 'propose'; why: string; status: PolicyGoalStatus };

export const maxPolicies = (goal: PolicyGoal): number => goal.spec.maxPolicies ?? DEFAULT_MAX_POLICIES;
export const tokenBudget = (goal: PolicyGoal): number => goal.spec.tokenBudget ?? DEFAULT_TOKEN_BUDGET;

/** What the children were proposed for: a new one is another goal. */
export function goalHash(goal: PolicyGoal): string {
  return sha256Hex(canonicalJson({ goal: goal.spec.goal, model: goal.spec.model })).slice(0, 16);
}

/**
 * What a run does for a goal event, from the object alone. Idle exactly where the triage
 * (triage.ts goalStepDue) says no step is due: being deleted, stopped, or waiting for a child.
 */
export function planStep(goal: PolicyGoal, nowMs: number): GoalStep {
  if (goal.metadata.deletionTimestamp) return { kind: 'idle', why: 'the goal is being deleted; its children go with it' };
  const status = goal.status ?? {};
  if (status.proposal?.inFlightSince) return { kind: 'interrupted', why: 'a proposal run was interrupted', since: status.proposal.inFlightSince };
  const now = new Date(nowMs).toISOString();
  const children = status.children ?? [];
  const specChanged = status.observedGeneration !== goal.metadata.generation;
  let base = status;
  if (specChanged) {
    const hash = goalHash(goal);
    if (status.goalHash !== undefined && status.goalHash !== hash && children.length > 0) {
      const message = 'spec.goal (or spec.model) changed after children were created for the old one; no step is taken: create a new PolicyGoal for the new goal (deleting this one removes its children)';
      return { kind: 'record', why: 'the goal changed', status: stopped({ ...status, observedGeneration: goal.metadata.generation }, 'GoalChanged', message, now) };
    }
    // A new spec (the first, or new bounds) takes the curriculum up again.
    const { stopped: _was, ...rest } = status;
    base = { ...rest, observedGeneration: goal.metadata.generation, goalHash: hash, proposal: {} };
    if (base.inFlight) return { kind: 'check-in-flight', why: 'the spec changed while a child is in flight', status: base };
  } else {
    if (status.stopped) return { kind: 'idle', why: `the curriculum stopped: ${status.stopped}` };
    if (status.inFlight) return { kind: 'idle', why: `the child ${status.inFlight} is in flight` };
  }
  const spent = status.usage?.totalTokens ?? 0;
  if (spent >= tokenBudget(goal)) {
    return { kind: 'record', why: 'the budget is spent', status: stopped(base, 'BudgetSpent', `spent ${spent} of ${tokenBudget(goal)} tokens (spec.tokenBudget); raise it to go on`, now) };
  }
  if (children.length >= maxPolicies(goal) && !children.some(retryable)) {
    return { kind: 'record', why: 'the policy count is spent', status: stopped(base, 'PolicyLimitReached', `${children.length} children of at most ${maxPolicies(goal)} (spec.maxPolicies), none left to retry; raise it to go on`, now) };
  }
  const notBefore = base.proposal?.notBefore;
  if (notBefore && nowMs < Date.parse(notBefore)) {
    return specChanged ? { kind: 'record', why: 'a new spec', status: base } : { kind: 'wait', why: `no proposal call before ${notBefore}` };
  }
  const marked: PolicyGoalStatus = { ...base, proposal: { ...base.proposal, inFlightSince: now, notBefore: undefined } };
  return { kind: 'propose', why: specChanged ? 'a new spec' : 'the next step is due', status: withMet(marked, 'Unknown', 'Proposing', 'asking the model for the next sub-intent', now) };
}

/** The curriculum ends: the Met condition says how. */
export function stopped(status: PolicyGoalStatus, reason: StopReason, message: string, now: string): PolicyGoalStatus {
  const { inFlightSince: _mark, ...proposal } = status.proposal ?? {};
  const next = { ...status, stopped: reason, proposal };
  return withMet(next, reason === 'GoalMet' ? 'True' : 'False', reason, message, now);
}

export function withMet(status: PolicyGoalStatus, met: Condition['status'], reason: string, message: string, now: string): PolicyGoalStatus {
  const previous = (status.conditions ?? []).find((c) => c.type === 'Met');
  const since = previous && previous.status === met ? previous.lastTransitionTime : now;
  const condition: Condition = { type: 'Met', status: met, reason, message: clip(message, 1000), lastTransitionTime: since };
  return { ...status, conditions: [...(status.conditions ?? []).filter((c) => c.type !== 'Met'), condition], summary: summary(status.children ?? []) };
}

export function summary(children: readonly GoalChild[]): string {
  return `${children.filter((c) => c.state === 'Ready').length}/${children.length} Ready`;
}

/** Proposal calls and the children's own calls, against the budget. */
export function usageOf(status: PolicyGoalStatus, proposalTokens: number): GoalUsage {
  const children = status.children ?? [];
  const childTokens = children.reduce((sum, c) => sum + (c.tokens ?? 0), 0);
  const childCalls = children.reduce((sum, c) => sum + (c.modelCalls ?? 0), 0);
  return { modelCalls: (status.steps ?? 0) + childCalls, proposalTokens, childTokens, totalTokens: proposalTokens + childTokens };
}

/** A call was made and answered: its tokens counted, the mark cleared. */
export function afterCall(status: PolicyGoalStatus, tokens: Tokens): PolicyGoalStatus {
  const counted = { ...status, steps: (status.steps ?? 0) + 1 };
  return { ...counted, usage: usageOf(counted, (status.usage?.proposalTokens ?? 0) + tokens.total) };
}

export function withFailure(status: PolicyGoalStatus, failure: GoalFailure): PolicyGoalStatus {
  const entry = { ...failure, message: clip(failure.message, MAX_MESSAGE) };
  return { ...status, failures: [...(status.failures ?? []), entry].slice(-MAX_FAILURES_KEPT) };
}

/** An unreadable or refused proposal: fed back in the next prompt, and the curriculum stops after a few in a row. */
export function proposalFailed(status: PolicyGoalStatus, reason: 'UnreadableProposal' | 'RefusedProposal', problem: string, now: string): PolicyGoalStatus {
  const failures = (status.proposal?.failures ?? 0) + 1;
  const failed = withFailure({ ...status, proposal: { ...status.proposal, inFlightSince: undefined, failures } }, { step: status.steps ?? 0, reason, message: problem });
  if (failures >= MAX_PROPOSAL_FAILURES) return stopped(failed, 'ProposalsFailed', `${failures} proposals in a row were unreadable or refused; the last: ${problem}`, now);
  return withMet(failed, 'Unknown', reason, `${problem}; asking again with this in the prompt`, now);
}

/** A rate limit, server error or unreachable endpoint: retried after a backoff, a few times. */
export function transientFailure(status: PolicyGoalStatus, reason: 'ModelRateLimited' | 'ModelUnavailable' | 'ModelUnreachable', message: string, retryAfterSeconds: number | undefined, nowMs: number): { status: PolicyGoalStatus; requeue: boolean } {
  const now = new Date(nowMs).toISOString();
  const transientFailures = (status.proposal?.transientFailures ?? 0) + 1;
  const next: PolicyGoalStatus = { ...status, proposal: { ...status.proposal, inFlightSince: undefined, transientFailures } };
  if (transientFailures >= MAX_TRANSIENT_FAILURES) return { status: stopped(next, reason, `${message}; gave up after ${transientFailures} tries, change the goal's spec (a bound) to try again`, now), requeue: false };
  const delay = Math.max(Math.min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** (transientFailures - 1)), retryAfterSeconds ?? 0);
  const notBefore = new Date(nowMs + delay * 1000).toISOString();
  const waiting = { ...next, proposal: { ...next.proposal, notBefore } };
  return { status: withMet(waiting, 'Unknown', reason, `${message}; next try after ${notBefore}`, now), requeue: true };
}

/** A child created (or a failed one given a new intent): in flight until it settles. */
export function childStarted(status: PolicyGoalStatus, child: GoalChild, judgement: string, now: string): PolicyGoalStatus {
  const children = [...(status.children ?? []).filter((c) => c.name !== child.name), child];
  const order = (status.children ?? []).map((c) => c.name);
  children.sort((a, b) => rank(order, a.name) - rank(order, b.name));
  const next: PolicyGoalStatus = { ...status, children, inFlight: child.name, judgement: clip(judgement, 1000), proposal: { failures: 0 } };
  return withMet(next, 'Unknown', 'ChildInFlight', `${child.name}: ${child.intent}`, now);
}

const rank = (order: readonly string[], name: string): number => (order.includes(name) ? order.indexOf(name) : order.length);

/** How a settled child ended, read from its status. */
export function childOutcome(gp: GPTPolicy): Pick<GoalChild, 'state' | 'reason' | 'message' | 'policyName' | 'modelCalls' | 'tokens'> {
  const ready = (gp.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const state = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'Failed' : 'Generating';
  const usage = gp.status?.usage;
  return {
    state,
    reason: ready?.reason,
    message: ready ? clip(ready.message, MAX_MESSAGE) : undefined,
    policyName: state === 'Ready' ? gp.status?.policyName : undefined,
    modelCalls: usage?.modelCalls ?? 0,
    tokens: usage?.totalTokens ?? 0,
  };
}

/**
 * A child settled: its entry updated (an unknown child of ours is added: a run that created it and
 * ended before it could say so), the goal no longer waits for it, a failure is recorded with its
 * reason (once per outcome), and the usage counts its calls.
 */
export function childSettled(status: PolicyGoalStatus, gp: GPTPolicy, now: string): PolicyGoalStatus {
  const name = gp.metadata.name ?? '';
  const known = (status.children ?? []).find((c) => c.name === name);
  const entry: GoalChild = { ...(known ?? { name, intent: gp.spec.description, namespaces: [], retries: 0 }), ...childOutcome(gp) };
  const children = known ? (status.children ?? []).map((c) => (c.name === name ? entry : c)) : [...(status.children ?? []), entry];
  let next: PolicyGoalStatus = { ...status, children };
  if (next.inFlight === name) delete next.inFlight;
  const news = !known || known.state !== entry.state || known.reason !== entry.reason || known.message !== entry.message;
  if (entry.state === 'Failed' && news) next = withFailure(next, { step: status.steps ?? 0, child: name, reason: entry.reason ?? 'Failed', message: entry.message ?? '' });
  next = { ...next, usage: usageOf(next, status.usage?.proposalTokens ?? 0) };
  if (next.stopped) return withMet(next, next.stopped === 'GoalMet' ? 'True' : 'False', next.stopped, metMessage(next), now);
  return withMet(next, 'Unknown', 'ChildSettled', `${name} is ${entry.state}${entry.reason ? ` (${entry.reason})` : ''}; the next step is due`, now);
}

function metMessage(status: PolicyGoalStatus): string {
  return (status.conditions ?? []).find((c) => c.type === 'Met')?.message ?? '';
}
