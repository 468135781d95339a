// The bench harness end to end, with scripted models: the built controller in the local runtime asks
// a fake model that answers right, wrong-then-right or never-right, and the harness must report
// exactly the pass rate, Pass^k, attempts, tokens and repairs that script implies.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchCommand } from '../../tools/cli/bench.ts';
import { runBench } from '../../tools/bench/run-bench.ts';
import { recallAt } from '../../tools/bench/stats.ts';
import { builtSkills } from '../../tools/local/local-jspolicy.ts';
import { SCRIPTED_TOKENS_PER_CALL, type ScriptMode } from '../../tools/bench/scripted.ts';
import { loadTasks } from '../../tools/bench/tasks.ts';
import type { BenchJson } from '../../tools/bench/report.ts';
import { repoFile } from '../../tools/local/paths.ts';

const TASKS = repoFile('bench-tasks');

// Six tasks across the tags, two runs each; the mode of each run, and what it implies.
const PLAN: Record<string, [ScriptMode, ScriptMode]> = {
  'deny-prod-pods-in-test': ['right', 'right'],
  'label-pods-managed-by': ['wrong-then-right', 'wrong-then-right'],
  'cnrm-iampolicy-no-owner': ['never-right', 'never-right'],
  'protect-namespace-delete': ['right', 'never-right'],
  'pod-serviceaccount-exists': ['wrong-then-right', 'right'],
  'workloads-no-latest': ['right', 'right'],
};
const CALLS: Record<ScriptMode, number> = { right: 1, 'wrong-then-right': 2, 'never-right': 3 }; // 3 = the default attempt budget
const PASSES: Record<ScriptMode, boolean> = { right: true, 'wrong-then-right': true, 'never-right': false };
const REPAIRS: Record<ScriptMode, number> = { right: 0, 'wrong-then-right': 1, 'never-right': 3 };

describe('gptpolicy bench with a scripted model', () => {
  it('reports the pass rate, Pass^k, attempts, tokens and repairs the script implies', { timeout: 60_000 }, async () => {
    const tasks = loadTasks(TASKS, Object.keys(PLAN));
    const lines: string[] = [];
    const report = await runBench(tasks, { runs: 2, target: { scripted: (task, run) => PLAN[task.id]![run - 1]! }, progress: (l) => lines.push(l) });

    const modes = Object.values(PLAN).flat();
    const expectedPasses = modes.filter((m) => PASSES[m]).length;
    expect(report.summary.tasks).toBe(6);
    expect(report.summary.runs).toBe(2);
    expect(report.summary.passRate).toBeCloseTo(expectedPasses / 12, 10); // 9/12
    expect(report.summary.passRate).toBeCloseTo(0.75, 10);
    expect(report.summary.passHatK).toBeCloseTo(4 / 6, 10); // all but never-right and right-then-never-right
    const calls = modes.map((m) => CALLS[m]);
    expect(report.summary.meanAttempts).toBeCloseTo(calls.reduce((a, b) => a + b, 0) / 12, 10); // 21/12
    expect(report.summary.meanTokens).toBeCloseTo((SCRIPTED_TOKENS_PER_CALL * calls.reduce((a, b) => a + b, 0)) / 12, 10);
    expect(report.summary.totalTokens).toBe(SCRIPTED_TOKENS_PER_CALL * 21);
    // The wrong answer is the prototype's apiGroups ["*"]: the linter's api-group-too-broad, every time.
    expect(report.summary.topRepairs).toEqual([{ finding: 'api-group-too-broad', count: modes.reduce((a, m) => a + REPAIRS[m], 0) }]);
    // No skill library in these clusters: the status lists no retrieved skill, so a task that
    // expects one (workloads-no-latest: usesLatestTag) has recall 0, the others n/a.
    expect(report.tasks.map((t) => [t.id, t.recall])).toEqual(Object.keys(PLAN).sort().map((id) => [id, id === 'workloads-no-latest' ? 0 : null]));
    expect(report.summary.recallAtK).toBe(0);

    for (const task of report.tasks) {
      const plan = PLAN[task.id]!;
      expect(task.runs.map((r) => r.pass), task.id).toEqual(plan.map((m) => PASSES[m]));
      expect(task.runs.map((r) => r.attempts), task.id).toEqual(plan.map((m) => CALLS[m]));
      expect(task.passAll, task.id).toBe(plan.every((m) => PASSES[m]));
      for (const [i, run] of task.runs.entries()) {
        if (plan[i] === 'never-right') expect(run.reason, task.id).toMatch(/^no policy: AttemptsExhausted/);
        else expect(run.cases.passed, task.id).toBe(run.cases.total);
      }
    }
    expect(lines).toHaveLength(12);
    expect(lines[0]).toMatch(/^\[1\/12\] cnrm-iampolicy-no-owner run 1\/2: FAIL/);
  });
});

describe('retrieval recall@k with the starter skill library installed', () => {
  it('is computed from the skills the status lists, per run, and averaged over the tasks that expect skills', { timeout: 60_000 }, async () => {
    const tasks = loadTasks(TASKS, ['ingress-host-domain', 'configmap-owner-label', 'workloads-no-latest']);
    const report = await runBench(tasks, { runs: 1, target: { scripted: 'right' }, skills: builtSkills(), recallK: 5 });
    expect(report.meta.skills).toBeGreaterThanOrEqual(20);
    expect(report.summary.passRate).toBe(1);
    const measured: number[] = [];
    for (const task of report.tasks) {
      const spec = tasks.find((t) => t.id === task.id)!;
      const run = task.runs[0]!;
      expect(run.retrieved, task.id).toBeDefined();
      expect(task.recall, task.id).toBe(recallAt(spec.expectedSkills, run.retrieved, 5));
      if (task.recall !== null) measured.push(task.recall);
    }
    expect(report.tasks.find((t) => t.id === 'configmap-owner-label')?.recall).toBeNull(); // expects no skill
    expect(measured).toHaveLength(2);
    expect(report.summary.recallAtK).toBeCloseTo(measured.reduce((a, b) => a + b, 0) / 2, 10);
  });
});

describe('gptpolicy bench (the command)', () => {
  it('prints the table and summary, writes the JSON, and shows progress on stderr', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-'));
    const out: string[] = [];
    const err: string[] = [];
    const code = await benchCommand(['--tasks', TASKS, '--only', 'deny-prod-pods-in-test,configmap-owner-label', '--scripted', 'right', '--no-skills', '--json', join(dir, 'bench.json')], { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
    expect(code).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/deny-prod-pods-in-test\s+1\/1\s+yes\s+1\s+150\s+n\/a/);
    expect(text).toContain('pass rate        100.0% of 2 runs');
    expect(text).toContain('Pass^1');
    expect(text).toContain('recall@5         n/a');
    expect(err.join('')).toContain('[1/2] configmap-owner-label run 1/1: pass');
    const json = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8')) as BenchJson;
    expect(json.summary).toMatchObject({ tasks: 2, runs: 1, passRate: 1, passHatK: 1, meanAttempts: 1, meanTokens: 150 });
    expect(json.meta.model).toBe('scripted:right');
    expect(json.tasks.map((t) => t.id)).toEqual(['configmap-owner-label', 'deny-prod-pods-in-test']);
  });

  it('--fail-under exits 1 when the pass rate is lower', { timeout: 30_000 }, async () => {
    const err: string[] = [];
    const code = await benchCommand(['--tasks', TASKS, '--only', 'configmap-owner-label', '--scripted', 'never-right', '--no-skills', '--fail-under', '0.5'], { stdout: () => {}, stderr: (s) => err.push(s) });
    expect(code).toBe(1);
    expect(err.join('')).toContain('pass rate 0.0% is under 50.0%');
  });

  it.each([
    [['--runs', '0', '--tasks', 'x'], '--runs'],
    [['--scripted', 'maybe', '--tasks', 'x'], '--scripted'],
    [[], '--tasks DIR is required'],
    [['--tasks', 'x', '--fail-under', '2'], '--fail-under'],
    [['--tasks', TASKS, '--skills', 'x', '--no-skills'], 'exclude each other'],
  ])('refuses bad arguments %j', { timeout: 5_000 }, async (argv, message) => {
    const err: string[] = [];
    expect(await benchCommand(argv, { stdout: () => {}, stderr: (s) => err.push(s) })).toBe(2);
    expect(err.join('')).toContain(message);
  });

  it('names an unknown task', { timeout: 5_000 }, async () => {
    const err: string[] = [];
    expect(await benchCommand(['--tasks', TASKS, '--only', 'no-such-task', '--scripted', 'right'], { stdout: () => {}, stderr: (s) => err.push(s) })).toBe(1);
    expect(err.join('')).toContain('no task no-such-task');
  });
});
