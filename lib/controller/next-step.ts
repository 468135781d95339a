import type { GenerationState, GPTPolicy, GPTPolicyStatus } from '../gptpolicy/types.ts';
import { intentHash } from './intent.ts';
import { decide } from './outcome.ts';

/** What a run does for a GPTPolicy, decided from the object alone: no reads, no calls. */
export type Step =
  | { kind: 'idle'; why: string }
  | { kind: 'wait'; why: string }
  | { kind: 'record'; why: string; status: GPTPolicyStatus }
  | { kind: 'generate'; why: string; generation: GenerationState; status: GPTPolicyStatus };

/**
 * The whole no-op path: a GPTPolicy whose status already describes its current intent needs
 * nothing, so resyncs and our own writes end here without a read, a write or a model call.
 */
export function nextStep(gp: GPTPolicy, nowMs: number): Step {
  const hash = intentHash(gp);
  const status = gp.status ?? {};
  if (status.intentHash === hash) return { kind: 'idle', why: 'the status already describes this intent' };
  const now = new Date(nowMs).toISOString();
  const previous = status.generation?.intentHash === hash ? status.generation : undefined;
  const generation: GenerationState = previous ?? { intentHash: hash, calls: 0, transientFailures: 0 };
  // A run that left a mark and no outcome ended where nothing could catch it: say where.
  if (generation.inFlightSince) {
    const { status } = decide(gp, generation, { kind: 'interrupted', during: 'model-call', since: generation.inFlightSince }, nowMs);
    return { kind: 'record', why: 'a model call was interrupted', status };
  }
  if (generation.answeredAt) {
    const { status } = decide(gp, generation, { kind: 'interrupted', during: 'checking', since: generation.answeredAt }, nowMs);
    return { kind: 'record', why: 'the run checking an answer was interrupted', status };
  }
  if (generation.notBefore && nowMs < Date.parse(generation.notBefore)) {
    return { kind: 'wait', why: `no model call before ${generation.notBefore}` };
  }
  const started: GenerationState = { ...generation, calls: generation.calls + 1, inFlightSince: now };
  delete started.notBefore;
  const inFlight = decide(gp, started, { kind: 'calling' }, nowMs).status;
  return { kind: 'generate', why: previous ? 'continuing this intent' : 'the intent changed', generation: started, status: inFlight };
}
