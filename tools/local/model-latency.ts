// The controllers of one local jsPolicy on the virtual clock, with every model call taking
// `modelLatencyMs` of it: a discrete-event schedule of jsPolicy's one worker per controller policy.
// Each run happens at once (its writes land at its start); a run that called the model keeps its
// controller busy for the calls' latency, while the other controllers go on with their queues.
// With a VM pool model, runs and the cluster's admissions also wait for a free VM.
// What jsPolicy does in real time, compressed: how long bookkeeping waits behind generation.
import type { ControllerLoop, ProcessResult } from '../runtime/controller/index.ts';
import type { VmPoolModel } from '../runtime/engine/pool-model.ts';
import type { LocalJsPolicy } from './local-jspolicy.ts';

export interface ScheduledRun {
  controller: string;
  result: ProcessResult;
  /** Virtual ms since the epoch: when the run started and when its controller was free again. */
  startMs: number;
  endMs: number;
  modelCalls: number;
}

/** An admission request arriving at a virtual time; `run` admits it for real and says its engine time. */
export interface ScheduledAdmission {
  atMs: number;
  run(): number;
}

export interface AdmissionLatency {
  atMs: number;
  waitedMs: number;
  /** Waiting for a VM plus the run inside the engine. */
  latencyMs: number;
}

export interface LatencyOptions {
  modelLatencyMs: number;
  /** jsPolicy's VM pool: controller runs and admissions then wait for a free VM on the virtual clock. */
  pool?: VmPoolModel;
  /** Admissions of the cluster's webhooks, in arrival order, interleaved with the controllers' runs. */
  admissions?: ScheduledAdmission[];
  /** Each admission's latency (with a pool). */
  onAdmission?(latency: AdmissionLatency): void;
  /** Model requests so far (the fake model's count). */
  modelRequests(): Promise<number>;
  /** Called after each run; return true to stop. */
  afterRun?(run: ScheduledRun): boolean | void;
  maxRuns?: number;
}

interface Worker {
  loop: ControllerLoop;
  freeAt: number;
}

/** When the worker can next start a run, or undefined when it has nothing queued or waiting. */
function nextStart(worker: Worker, now: number): number | undefined {
  const { queued, waiting } = worker.loop.pending();
  if (queued.length > 0) return Math.max(worker.freeAt, now);
  if (waiting.length === 0) return undefined;
  return Math.max(worker.freeAt, Math.min(...waiting.map((w) => w.dueMs)));
}

const engineMsOf = (result: ProcessResult): number => (result.engineMs ? result.engineMs.context + result.engineMs.script : 0);

/** Runs every controller of `local` (and the admissions given) until none has work, returning every run in start order. */
export async function runWithModelLatency(local: LocalJsPolicy, options: LatencyOptions): Promise<ScheduledRun[]> {
  const workers: Worker[] = local.loops.map((loop) => ({ loop, freeAt: local.loop.clock() }));
  const runs: ScheduledRun[] = [];
  let admitted = 0;
  for (let i = 0; i < (options.maxRuns ?? 10_000); i++) {
    const now = local.loop.clock();
    let next: { worker: Worker; at: number } | undefined;
    for (const worker of workers) {
      const at = nextStart(worker, now);
      if (at !== undefined && (next === undefined || at < next.at)) next = { worker, at };
    }
    const admission = options.admissions?.[admitted];
    if (admission && (!next || admission.atMs <= next.at)) {
      // Admissions interleave with the runs in time order; the controllers' clock is not theirs to move.
      const engineMs = admission.run();
      admitted++;
      const slot = options.pool?.take(admission.atMs, engineMs);
      options.onAdmission?.({ atMs: admission.atMs, waitedMs: slot?.waitedMs ?? 0, latencyMs: (slot?.waitedMs ?? 0) + engineMs });
      continue;
    }
    if (!next) break;
    const { worker, at } = next;
    // advance() moves the shared clock and promotes this loop's due keys; promote the others' too.
    worker.loop.advance(at - now);
    for (const other of workers) other.loop.advance(0);
    const key = worker.loop.pending().queued[0];
    if (key === undefined) continue;
    const before = await options.modelRequests();
    const result = worker.loop.process(key);
    const modelCalls = (await options.modelRequests()) - before;
    const holdMs = modelCalls * options.modelLatencyMs + engineMsOf(result);
    // With a pool, the run starts when a VM is free, and holds it for its model calls too.
    const startMs = options.pool ? options.pool.take(at, holdMs).startMs : at;
    worker.freeAt = startMs + modelCalls * options.modelLatencyMs;
    const run: ScheduledRun = { controller: worker.loop.policy().metadata.name ?? '', result, startMs, endMs: worker.freeAt, modelCalls };
    runs.push(run);
    if (options.afterRun?.(run) === true) break;
  }
  return runs;
}
