import type { GenerationState, GPTPolicy, GPTPolicyStatus, Usage } from '../gptpolicy/types.ts';
import { setCondition } from './conditions.ts';

/** The reasons the Ready condition can give, one per way a generation can end or wait. */
export type ReadyReason =
  | 'PolicyApplied'
  | 'Generating'
  | 'WaitingToRetry'
  | 'NoApiKey'
  | 'BadConfig'
  | 'ModelRateLimited'
  | 'ModelUnavailable'
  | 'ModelUnreachable'
  | 'ModelAuthFailed'
  | 'ModelRequestRejected'
  | 'ModelBadResponse'
  | 'ModelCallInterrupted'
  | 'MalformedAnswer'
  | 'PolicyRefused'
  | 'PolicyNameTaken'
  | 'PolicyRejected'
  | 'PolicyCompileFailed'
  | 'Correcting'
  | 'AttemptsExhausted';

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
  const kept: GenerationState = { ...generation };
  delete kept.inFlightSince;
  delete kept.notBefore;
  return withReady(gp, { ...gp.status, generation: kept, intentHash: generation.intentHash }, ready, reason, message, now);
}

/** Adds one model call's token usage. */
export function addUsage(usage: Usage | undefined, tokens: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | undefined): Usage {
  const base = usage ?? EMPTY_USAGE;
  const prompt = tokens?.prompt_tokens ?? 0;
  const completion = tokens?.completion_tokens ?? 0;
  return {
    modelCalls: base.modelCalls + 1,
    promptTokens: base.promptTokens + prompt,
    completionTokens: base.completionTokens + completion,
    totalTokens: base.totalTokens + (tokens?.total_tokens ?? prompt + completion),
  };
}
