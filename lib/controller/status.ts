import type { GenerationState, GPTPolicy, GPTPolicyStatus, Usage } from '../gptpolicy/types.ts';
import type { Tokens } from '../model/usage.ts';
import { setCondition } from './conditions.ts';

/**
 * The reasons the Ready condition can give, one per way a generation can end or wait. The README's
 * "Status reasons" table lists each (test/unit/status-reasons.test.ts checks it does).
 */
export const READY_REASONS = [
  'PolicyApplied',
  'Generating',
  'Checking',
  'Correcting',
  'NoApiKey',
  'BadConfig',
  'ModelRateLimited',
  'ModelUnavailable',
  'ModelUnreachable',
  'ModelAuthFailed',
  'ModelRequestRejected',
  'ModelBadResponse',
  'ModelCallInterrupted',
  'RunInterrupted',
  'ControllerError',
  'MalformedAnswer',
  'PolicyRefused',
  'AttemptsExhausted',
  'PolicyNameTaken',
  'PolicyRejected',
  'PolicyCompileFailed',
] as const;

export type ReadyReason = (typeof READY_REASONS)[number];

export const EMPTY_USAGE: Usage = { modelCalls: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0 };

/** The status with Ready set and observedGeneration brought up to date. */
export function withReady(gp: GPTPolicy, status: GPTPolicyStatus, ready: boolean, reason: ReadyReason, message: string, now: string): GPTPolicyStatus {
  const generation = gp.metadata.generation;
  return {
    ...status,
    observedGeneration: generation,
    conditions: setCondition(status.conditions, { type: 'Ready', status: ready ? 'True' : 'False', reason, message, observedGeneration: generation }, now),
  };
}

/**
 * Ends work on an intent: nothing more happens until the intent changes. The generation state
 * stays (without its in-flight marks) for a later platform correction round to continue from.
 */
export function finalStatus(gp: GPTPolicy, generation: GenerationState, ready: boolean, reason: ReadyReason, message: string, now: string): GPTPolicyStatus {
  return withReady(gp, { ...gp.status, generation: withoutMarks(generation), intentHash: generation.intentHash }, ready, reason, message, now);
}

/** The generation state without the marks of a run under way (the call, the check, the backoff). */
export function withoutMarks(generation: GenerationState): GenerationState {
  const kept: GenerationState = { ...generation };
  delete kept.inFlightSince;
  delete kept.answeredAt;
  delete kept.notBefore;
  return kept;
}

/** Adds one model call's token usage (lib/model/usage.ts reads it from whatever the server sent). */
export function addUsage(usage: Usage | undefined, tokens: Tokens): Usage {
  const base = usage ?? EMPTY_USAGE;
  return {
    modelCalls: base.modelCalls + 1,
    promptTokens: base.promptTokens + tokens.prompt,
    completionTokens: base.completionTokens + tokens.completion,
    totalTokens: base.totalTokens + tokens.total,
  };
}
