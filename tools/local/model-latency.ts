// The controllers of one local jsPolicy on the virtual clock, with every model call taking
// `modelLatencyMs` of it: a discrete-event schedule of jsPolicy's one worker per controller policy.
// Each run happens at once (its writes land at its start); a run that called the model keeps its
// controller busy for the calls' latency, while the other controllers go on with their queues.
// What jsPolicy does in real time, compressed: how long bookkeeping waits behind generation.
import type { ControllerLoop, ProcessResult } from '../runtime/controller/index.ts';
import type { LocalJsPolicy } from './local-jspolicy.ts';

export interface ScheduledRun {
  controller: string;
  result: ProcessResult;
  /** Virtual ms since the epoch: when the run started and when its controller was free again. */
  startMs: number;
  endMs: number;
  modelCalls: number;
}

export interface LatencyOptions {
  modelLatencyMs: number;
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

/** Runs every controller of `local` until none has work, returning every run in start order. */
export async function runWithModelLatency(local: LocalJsPolicy, options: LatencyOptions): Promise<ScheduledRun[]> {
  const workers: Worker[] = local.loops.map((loop) => ({ loop, freeAt: local.loop.clock() }));
  const runs: ScheduledRun[] = [];
  for (let i = 0; i < (options.maxRuns ?? 10_000); i++) {
    const now = local.loop.clock();
    let next: { worker: Worker; at: number } | undefined;
    for (const worker of workers) {
      const at = nextStart(worker, now);
      if (at !== undefined && (next === undefined || at < next.at)) next = { worker, at };
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
    worker.freeAt = at + modelCalls * options.modelLatencyMs;
    const run: ScheduledRun = { controller: worker.loop.policy().metadata.name ?? '', result, startMs: at, endMs: worker.freeAt, modelCalls };
    runs.push(run);
    if (options.afterRun?.(run) === true) break;
  }
  return runs;
}
