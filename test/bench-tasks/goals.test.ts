// Goal tasks with a scripted curriculum: the built controller runs a PolicyGoal to its end, and the
// held-back cases of its tasks judge the union of its children's policies.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchCommand } from '../../tools/cli/bench.ts';
import { goalScript, judgeUnion, loadGoalTasks, runScriptedGoal } from '../../tools/bench/goals.ts';
import { policyForEvaluation, policyFromAnswer } from '../../tools/bench/evaluate.ts';
import { SCRIPTED_TOKENS_PER_CALL } from '../../tools/bench/scripted.ts';
import { loadTasks } from '../../tools/bench/tasks.ts';
import { builtSkills } from '../../tools/local/local-jspolicy.ts';
import { repoFile } from '../../tools/local/paths.ts';

const tasks = loadTasks(repoFile('bench-tasks'));
const [restricted] = loadGoalTasks(repoFile('bench-goals'), tasks);

describe('the pss-restricted goal task', () => {
  it('is covered by the union of its tasks’ reference policies, and by no one of them alone', () => {
    const goal = restricted!;
    const cases = goal.tasks.flatMap((t) => t.cases);
    const policies = goal.tasks.map((t) => policyForEvaluation(policyFromAnswer(t, t.reference!)));
    expect(judgeUnion(policies, cases, []).filter((j) => !j.passed)).toEqual([]);
    for (const one of policies) expect(judgeUnion([one], cases, []).some((j) => !j.passed)).toBe(true);
  });

  it('with a scripted curriculum, ends met with one Ready child per control and covers every held-back case', { timeout: 300_000 }, async () => {
    const goal = restricted!;
    const result = await runScriptedGoal(goal, 'right', builtSkills());
    const n = goal.tasks.length;
    expect(result.failures).toEqual([]);
    expect(result).toMatchObject({ met: true, children: { created: n, ready: n }, proposals: n + 1, modelCalls: 2 * n + 1, tokens: (2 * n + 1) * SCRIPTED_TOKENS_PER_CALL });
    expect(result.cases.failed).toEqual([]);
    expect(result.cases.total).toBe(goal.tasks.reduce((sum, t) => sum + t.cases.length, 0));
    expect(goalScript(goal, 'never-right')).toHaveLength(4 * n + 1);
  });
});

describe('gptpolicy bench --goals', () => {
  it('runs each goal task and prints coverage, Ready children, calls and tokens; writes the JSON', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'goals-'));
    mkdirSync(join(dir, 'no-prod'));
    writeFileSync(join(dir, 'no-prod', 'goal.yaml'), 'goal: Pods in the test namespace never carry the label env=prod\ntasks: [deny-prod-pods-in-test]\n');
    const out: string[] = [];
    const err: string[] = [];
    const json = join(dir, 'goals.json');
    const code = await benchCommand(['--tasks', repoFile('bench-tasks'), '--only', 'deny-prod-pods-in-test', '--goals', dir, '--scripted', 'right', '--json', json, '--fail-under', '1'], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
    expect(err.join('')).toContain('no-prod run 1/1');
    expect(code).toBe(0);
    const cases = tasks.find((t) => t.id === 'deny-prod-pods-in-test')!.cases.length;
    expect(out.join('')).toMatch(new RegExp(`no-prod\\s+${cases}/${cases} \\(100\\.0%\\)\\s+1/1\\s+3\\s+450 / 100000\\s+met`));
    expect(JSON.parse(readFileSync(json, 'utf8')).goals[0]).toMatchObject({ id: 'no-prod', met: true, children: { created: 1, ready: 1 } });
  });

  it('says which goal task names a task the set does not hold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'goals-'));
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'goal.yaml'), 'goal: Pods in the test namespace never carry the label env=prod\ntasks: [no-such-task]\n');
    const err: string[] = [];
    const code = await benchCommand(['--tasks', repoFile('bench-tasks'), '--only', 'deny-prod-pods-in-test', '--goals', dir, '--scripted', 'right'], { stdout: () => undefined, stderr: (t) => err.push(t) });
    expect(code).toBe(1);
    expect(err.join('')).toContain('bad: goal.yaml: task no-such-task is not in the task set');
  });
});
