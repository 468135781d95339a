// Goal tasks with a scripted curriculum: the built controller runs a PolicyGoal to its end, and the
// held-back cases of its tasks judge the union of its children's policies.
import { describe, expect, it } from 'vitest';
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
