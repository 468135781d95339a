// Which Events a status write of a generated-policy object (a GPTPolicy, or any kind with its status)
// produces: read from what the write changes, so every path that ends a run — generation, the
// platform's correction rounds, an interrupted run found later, an approval moving the stage — is
// told in `kubectl describe` without each path saying so. Messages are the status's own (already
// bounded, scrubbed of the key and redacted where they quote a real object), never the description,
// the answer or object data.
import type { GPTPolicyStatus } from '../gptpolicy/types.ts';
import type { Condition } from '../k8s/types.ts';
import type { RolloutStatus, Stage } from '../rollout/types.ts';
import type { EventNote } from './core-event.ts';

/** Ready reasons of a run under way (the in-flight and answered marks): no outcome yet, no Event. */
const UNDER_WAY = new Set(['Generating', 'Checking']);
const STAGE_RANK: Record<Stage, number> = { Dry: 0, Warn: 1, Deny: 2 };

/**
 * The Events for one status write, `before` being the status it was decided from and `after` the
 * one written. Nothing for a write that is no new outcome (a mark, the impact preview, the violations
 * summary): an outcome is a new Ready reason or message, or a new attempt of the same one (another
 * intent, call, retry or correction round), so a repeated failure is noted again — and counted on
 * the same Event (core-event.ts), not written anew.
 */
export function statusEvents(before: GPTPolicyStatus | undefined, after: GPTPolicyStatus | undefined): EventNote[] {
  const ready = readyOf(after);
  if (!ready) return [];
  if (!UNDER_WAY.has(ready.reason) && isNewOutcome(before, after)) return outcomeEvents(ready, after ?? {});
  const moved = stageEvent(before?.rollout, after?.rollout, after?.policyName);
  return moved ? [moved] : [];
}

function outcomeEvents(ready: Condition, status: GPTPolicyStatus): EventNote[] {
  if (ready.reason === 'PolicyApplied') return [generated(status), applied(status)];
  if (ready.reason === 'Correcting') return [{ type: 'Normal', reason: 'CorrectionRound', message: roundMessage(ready, status) }];
  return [{ type: 'Warning', reason: ready.reason, message: withoutRetryTime(ready.message) }];
}

function generated(status: GPTPolicyStatus): EventNote {
  const calls = status.generation?.calls ?? 0;
  const usage = status.usage;
  const spent = usage ? ` (usage so far: ${usage.modelCalls} model ${plural(usage.modelCalls, 'call')}, ${usage.totalTokens} tokens)` : '';
  return { type: 'Normal', reason: 'Generated', message: `JsPolicy ${status.policyName ?? ''} generated: it passed every check after ${calls} model ${plural(calls, 'call')} for this intent${spent}` };
}

function applied(status: GPTPolicyStatus): EventNote {
  const rollout = status.rollout;
  const name = status.policyName ?? '';
  if (!rollout) return { type: 'Normal', reason: 'Applied', message: `JsPolicy ${name} applied` };
  const next = rollout.stage === 'Deny' ? `approved by ${approver(rollout)}` : `to go further, approve spec hash ${rollout.specHash}`;
  return { type: 'Normal', reason: 'Applied', message: `JsPolicy ${name} applied at stage ${rollout.stage}; ${next}` };
}

/**
 * A round started by a code error in the cluster says so without the error: jsPolicy logged it
 * about a real object, and Events are read more widely than the status (all of `default`), where
 * it is kept redacted.
 */
function roundMessage(ready: Condition, status: GPTPolicyStatus): string {
  const last = status.attempts?.[status.attempts.length - 1];
  if (last?.outcome !== 'runtime-error') return ready.message;
  return `JsPolicy ${status.policyName ?? ''} threw in the cluster (the error is in the status's attempts); asking the model to fix it`;
}

/** An approval (or its removal) moved the applied policy to another stage of the same spec. */
function stageEvent(before: RolloutStatus | undefined, after: RolloutStatus | undefined, policyName: string | undefined): EventNote | undefined {
  if (!before || !after || before.specHash !== after.specHash || before.stage === after.stage) return undefined;
  const move = `JsPolicy ${policyName ?? ''} moved from ${before.stage} to ${after.stage}`;
  if (STAGE_RANK[after.stage] > STAGE_RANK[before.stage]) {
    return { type: 'Normal', reason: 'Promoted', message: `${move}: approved by ${approver(after)} for spec hash ${after.specHash}` };
  }
  const standing = after.approval ? `the approval in force is now PolicyApproval ${after.approval}` : `no approval of spec hash ${after.specHash} stands`;
  return { type: 'Normal', reason: 'Demoted', message: `${move}: ${standing}` };
}

function approver(rollout: RolloutStatus): string {
  const who = rollout.approvedBy ?? 'an unknown user';
  return rollout.approval ? `${who} (PolicyApproval ${rollout.approval})` : who;
}

/** Is `after` a new outcome, not the one `before` already told? */
function isNewOutcome(before: GPTPolicyStatus | undefined, after: GPTPolicyStatus | undefined): boolean {
  const was = readyOf(before);
  const is = readyOf(after);
  if (!was || !is || was.reason !== is.reason || was.message !== is.message) return true;
  const attempt = (s: GPTPolicyStatus | undefined) =>
    JSON.stringify([s?.intentHash, s?.generation?.intentHash, s?.generation?.calls, s?.generation?.transientFailures, s?.generation?.platformRounds]);
  return attempt(before) !== attempt(after);
}

/**
 * A retry's message ends with when the next try is due (outcome.ts retryLater): left out, so the same
 * failure again is the same Event, counted, rather than a new one per retry.
 */
function withoutRetryTime(message: string): string {
  return message.replace(/; next try after \S+$/, '');
}

function readyOf(status: GPTPolicyStatus | undefined): Condition | undefined {
  const conditions = status?.conditions;
  return Array.isArray(conditions) ? conditions.find((c) => c?.type === 'Ready' && typeof c.reason === 'string' && typeof c.message === 'string') : undefined;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
