// gptpolicy bench --tasks DIR: how good are the generated policies, for the configured model.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadGoalTasks, renderGoals, runGoal, runScriptedGoal, type GoalResult } from '../bench/goals.ts';
import { renderText } from '../bench/report.ts';
import { runBench } from '../bench/run-bench.ts';
import type { Endpoint } from '../bench/run-task.ts';
import { SCRIPTS, type ScriptMode } from '../bench/scripted.ts';
import { loadTasks } from '../bench/tasks.ts';
import type { KubeObject } from '../../lib/k8s/types.ts';
import { builtPolicies, builtSkills } from '../local/local-jspolicy.ts';
import { loadLibrary } from '../skills/load.ts';
import type { CommandIo } from './io.ts';
import { passedEnv } from './local-controller.ts';

declare const GPTPOLICY_VERSION: string;

const USAGE = `usage: gptpolicy bench --tasks DIR [--runs K] [--json FILE] [--only ID[,ID]]... [--model M]
                       [--skills DIR|FILE | --no-skills] [--scripted right|wrong-then-right|never-right]
                       [--recall-k N] [--fail-under RATE] [--goals DIR]

Runs every task of DIR (one directory per task: task.yaml, reference.json) through the whole loop —
the built controller (npm run build) in the local jsPolicy runtime, asking the model, checking,
feeding findings back — K times (default 1), then judges the emitted policy with the task's
held-back test cases. Prints a per-task table and a summary (pass rate, Pass^K, attempts, tokens,
repair findings, retrieval recall@N) on stdout, progress on stderr; --json FILE writes the same
figures as JSON.

The endpoint comes from OPENAI_API_KEY, OPENAI_BASE_URL and OPENAI_MODEL, as for generate (any
OpenAI-compatible server, e.g. OPENAI_BASE_URL=http://127.0.0.1:11434/v1 for a local one).
--scripted answers from each task's reference.json instead (no endpoint needed): right = the
reference; wrong-then-right = a rejected answer first; never-right = rejected every time.
Every run's cluster holds the built starter skill library (manifests/gptpolicy-skills.yaml), as
an installation does; --skills takes another library (a skills/ tree or PolicySkill YAML),
--no-skills none. --fail-under RATE exits 1 when the pass rate is below RATE (0..1).

--goals DIR runs the goal tasks of DIR instead (one directory per goal: goal.yaml, see
tools/bench/goals.ts): each a PolicyGoal whose curriculum runs to its end, K times, judged by the
held-back cases of the --tasks it lists against its children's policies together. Prints coverage,
Ready children of children created, model calls and tokens against the budget; --scripted proposes
each listed task's intent in turn, its child answering as for that task; --fail-under applies to
the coverage.`;

export async function benchCommand(argv: string[], io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        tasks: { type: 'string' },
        runs: { type: 'string', default: '1' },
        json: { type: 'string' },
        only: { type: 'string', multiple: true },
        model: { type: 'string' },
        scripted: { type: 'string' },
        'recall-k': { type: 'string', default: '5' },
        'fail-under': { type: 'string' },
        skills: { type: 'string' },
        'no-skills': { type: 'boolean' },
        goals: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (e) {
    io.stderr(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const bad = (message: string): number => {
    io.stderr(`bench: ${message}\n${USAGE}\n`);
    return 2;
  };
  if (!values.tasks) return bad('--tasks DIR is required (the task set, e.g. bench-tasks)');
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) return bad(`--runs needs a whole number ≥ 1, got ${JSON.stringify(values.runs)}`);
  const recallK = Number(values['recall-k']);
  if (!Number.isInteger(recallK) || recallK < 1) return bad(`--recall-k needs a whole number ≥ 1, got ${JSON.stringify(values['recall-k'])}`);
  const failUnder = values['fail-under'] === undefined ? undefined : Number(values['fail-under']);
  if (failUnder !== undefined && !(failUnder >= 0 && failUnder <= 1)) return bad(`--fail-under needs a rate between 0 and 1, got ${JSON.stringify(values['fail-under'])}`);
  if (values.scripted !== undefined && !(SCRIPTS as readonly string[]).includes(values.scripted)) return bad(`--scripted is one of ${SCRIPTS.join(', ')}`);

  let tasks;
  try {
    tasks = loadTasks(values.tasks, (values.only ?? []).flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean));
  } catch (e) {
    io.stderr(`bench: ${(e as Error).message}\n`);
    return 1;
  }
  if (tasks.length === 0) {
    io.stderr(`bench: no tasks in ${values.tasks} (each task is a directory with a task.yaml)\n`);
    return 1;
  }

  if (values.skills && values['no-skills']) return bad('--skills and --no-skills exclude each other');
  let skills: KubeObject[] = [];
  try {
    builtPolicies(); // the controller every run starts: fail once here, not once per run
    if (values.skills) skills = (await loadLibrary(values.skills)) as KubeObject[];
    else if (!values['no-skills']) skills = builtSkills();
  } catch (e) {
    io.stderr(`bench: ${(e as Error).message}\n`);
    return 1;
  }

  let target: Parameters<typeof runBench>[1]['target'];
  if (values.scripted) {
    const missing = tasks.filter((t) => !t.reference).map((t) => t.id);
    if (missing.length > 0) {
      io.stderr(`bench: --scripted needs reference.json in every task; missing in ${missing.join(', ')}\n`);
      return 1;
    }
    target = { scripted: values.scripted as ScriptMode };
  } else {
    const passed = passedEnv(env);
    if (!env.OPENAI_API_KEY) io.stderr('bench: OPENAI_API_KEY is not set: every run will end NoApiKey (a local server wants any value, e.g. OPENAI_API_KEY=local)\n');
    const endpoint: Endpoint = { apiKey: env.OPENAI_API_KEY, env: passed, allowNetwork: true, ...(values.model ? { model: values.model } : {}) };
    target = { endpoint };
  }

  if (values.goals) return benchGoals(values.goals, tasks, { runs, target, skills, json: values.json, failUnder }, io);

  io.stderr(`bench: ${tasks.length} tasks × ${runs} run${runs === 1 ? '' : 's'}\n`);
  const version = typeof GPTPOLICY_VERSION === 'string' ? GPTPOLICY_VERSION : 'dev';
  const report = await runBench(tasks, { runs, target, recallK, version, skills, progress: (line) => io.stderr(`${line}\n`) });
  io.stdout(renderText(report));
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
    io.stderr(`bench: wrote ${values.json}\n`);
  }
  if (failUnder !== undefined && report.summary.passRate < failUnder) {
    io.stderr(`bench: pass rate ${(report.summary.passRate * 100).toFixed(1)}% is under ${(failUnder * 100).toFixed(1)}%\n`);
    return 1;
  }
  return 0;
}

/** --goals: each goal task K times; coverage, policies, calls and tokens per run. */
async function benchGoals(
  dir: string,
  tasks: Parameters<typeof loadGoalTasks>[1],
  options: { runs: number; target: Parameters<typeof runBench>[1]['target']; skills: KubeObject[]; json?: string; failUnder?: number },
  io: CommandIo,
): Promise<number> {
  let goals;
  try {
    goals = loadGoalTasks(dir, tasks);
  } catch (e) {
    io.stderr(`bench: ${(e as Error).message}\n`);
    return 1;
  }
  if (goals.length === 0) {
    io.stderr(`bench: no goal tasks in ${dir} (each is a directory with a goal.yaml)\n`);
    return 1;
  }
  const { target } = options;
  const results: GoalResult[] = [];
  for (const goal of goals) {
    for (let run = 1; run <= options.runs; run++) {
      const result = 'endpoint' in target ? runGoal(goal, target.endpoint, options.skills) : await runScriptedGoal(goal, typeof target.scripted === 'string' ? target.scripted : 'right', options.skills);
      results.push(result);
      io.stderr(`${goal.id} run ${run}/${options.runs}: ${result.cases.passed}/${result.cases.total} cases, ${result.children.ready}/${result.children.created} Ready, ${result.modelCalls} calls, ${result.tokens} tokens, ${(result.ms / 1000).toFixed(1)} s — ${result.met ? 'met' : result.reason}\n`);
    }
  }
  io.stdout(renderGoals(results));
  if (options.json) {
    writeFileSync(options.json, `${JSON.stringify({ goals: results }, null, 2)}\n`);
    io.stderr(`bench: wrote ${options.json}\n`);
  }
  const passed = results.reduce((sum, r) => sum + r.cases.passed, 0);
  const total = results.reduce((sum, r) => sum + r.cases.total, 0);
  if (options.failUnder !== undefined && passed < options.failUnder * total) {
    io.stderr(`bench: coverage ${((100 * passed) / Math.max(1, total)).toFixed(1)}% is under ${(options.failUnder * 100).toFixed(1)}%\n`);
    return 1;
  }
  return 0;
}
