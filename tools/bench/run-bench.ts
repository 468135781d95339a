// Runs a task set k times against one endpoint (or a scripted model) and gathers the report.
import type { KubeObject } from '../../lib/k8s/types.ts';
import { startFakeModel } from '../fake-model/index.ts';
import type { BenchJson } from './report.ts';
import { runTask, type Endpoint, type RunResult } from './run-task.ts';
import { scriptFor, type ScriptMode } from './scripted.ts';
import { summarize, taskReport, type TaskReport } from './stats.ts';
import type { BenchTask } from './tasks.ts';

export interface BenchOptions {
  runs: number;
  /** A real endpoint, or a scripted model started per task run from the task's reference.json. */
  target: { endpoint: Endpoint } | { scripted: ScriptMode | ((task: BenchTask, run: number) => ScriptMode) };
  recallK?: number;
  /** PolicySkills installed in every run's cluster (default none); retrieval draws from them. */
  skills?: readonly KubeObject[];
  version?: string;
  /** One line per finished run, for stderr. */
  progress?: (line: string) => void;
}

async function scriptedRun(task: BenchTask, mode: ScriptMode, skills: readonly KubeObject[]): Promise<RunResult> {
  const model = await startFakeModel(scriptFor(task, mode), { whenExhausted: 'repeat-last' });
  try {
    return runTask(task, { apiKey: 'scripted', env: { OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: `scripted-${mode}` }, allowNetwork: false }, skills);
  } finally {
    await model.close();
  }
}

export async function runBench(tasks: readonly BenchTask[], options: BenchOptions): Promise<BenchJson> {
  const started = Date.now();
  const recallK = options.recallK ?? 5;
  const reports: TaskReport[] = [];
  const total = tasks.length * options.runs;
  let done = 0;
  for (const task of tasks) {
    const runs: RunResult[] = [];
    for (let run = 1; run <= options.runs; run++) {
      let result: RunResult;
      try {
        if ('scripted' in options.target) {
          const mode = typeof options.target.scripted === 'function' ? options.target.scripted(task, run) : options.target.scripted;
          result = await scriptedRun(task, mode, options.skills ?? []);
        } else {
          result = runTask(task, options.target.endpoint, options.skills ?? []);
        }
      } catch (error) {
        // A harness failure (a task the cluster refuses, a runtime bug) counts as a failed run, and says so.
        result = { pass: false, reason: `harness error: ${(error as Error).message}`, attempts: 0, tokens: 0, repairs: [], cases: { passed: 0, total: task.cases.length, failed: [] }, ms: 0 };
      }
      runs.push(result);
      done++;
      const detail = result.pass ? `${result.cases.passed}/${result.cases.total} cases` : (result.reason ?? 'failed');
      options.progress?.(`[${done}/${total}] ${task.id} run ${run}/${options.runs}: ${result.pass ? 'pass' : 'FAIL'} — ${result.attempts} call${result.attempts === 1 ? '' : 's'}, ${result.tokens} tokens, ${(result.ms / 1000).toFixed(1)} s — ${detail.slice(0, 160)}`);
    }
    reports.push(taskReport(task, runs, recallK));
  }
  const target = options.target;
  const model = 'scripted' in target ? `scripted:${typeof target.scripted === 'function' ? 'mixed' : target.scripted}` : (target.endpoint.model ?? target.endpoint.env.OPENAI_MODEL ?? 'gpt-4.1-mini (default)');
  const endpoint = 'scripted' in target ? 'fake model on 127.0.0.1' : (target.endpoint.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1 (default)');
  return {
    meta: { version: options.version ?? 'dev', model, endpoint, skills: options.skills?.length ?? 0, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started },
    summary: summarize(reports, recallK),
    tasks: reports,
  };
}
