// Section 10 — goal tasks: each PolicyGoal of bench-goals/ run by the built controller with a
// scripted curriculum (tools/bench/goals.ts), its children's policies judged together with the
// held-back cases of its bench tasks. The reference is the same controls written by hand as one
// GPTPolicy each (the task set's own intents and reference answers). Scripted answers cost 150
// tokens a call; the curriculum's own prompt is counted from the requests the controller sent.
import { API_VERSION } from '../lib/gptpolicy/api.ts';
import { goalScript, judgeUnion, loadGoalTasks, runGoal } from '../tools/bench/goals.ts';
import { policyForEvaluation, policyFromAnswer } from '../tools/bench/evaluate.ts';
import { SCRIPTED_TOKENS_PER_CALL } from '../tools/bench/scripted.ts';
import { loadTasks } from '../tools/bench/tasks.ts';
import { startFakeModel } from '../tools/fake-model/index.ts';
import { builtSkills } from '../tools/local/local-jspolicy.ts';
import { repoFile } from '../tools/local/paths.ts';
import { messagesTokens, toolsTokens } from './prompt.ts';
import { figure, failedFigure, type Section } from './report.ts';

interface ProposalBody {
  messages?: Parameters<typeof messagesTokens>[0];
  tools?: Array<{ function?: { name?: string } }>;
}

export async function benchGoals(section: Section): Promise<void> {
  const tasks = loadTasks(repoFile('bench-tasks'));
  const skills = builtSkills();
  for (const goal of loadGoalTasks(repoFile('bench-goals'), tasks)) {
    const model = await startFakeModel(goalScript(goal, 'right'));
    try {
      const result = runGoal(goal, { apiKey: 'scripted', env: { OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: 'scripted-right' }, allowNetwork: false }, skills);
      const proposals = (await model.requests()).map((r) => r.body as ProposalBody).filter((b) => b.tools?.some((t) => t.function?.name === 'propose_next'));
      const promptTokens = proposals.map((b) => messagesTokens(b.messages ?? []) + toolsTokens(b.tools));
      const n = goal.tasks.length;
      const cases = goal.tasks.flatMap((t) => t.cases);
      const byHand = judgeUnion(goal.tasks.map((t) => policyForEvaluation(policyFromAnswer(t, t.reference!))), cases, []);
      const coverage = (100 * result.cases.passed) / Math.max(1, result.cases.total);
      section.figures.push(
        figure(`${goal.id}: held-back cases covered by the children together (${result.cases.total} cases)`, '%', coverage, (100 * byHand.filter((j) => j.passed).length) / cases.length, { referenceLabel: `the ${n} reference answers, one GPTPolicy each`, ...(result.cases.failed.length > 0 ? { failure: result.cases.failed.slice(0, 3).join('; ') } : {}) }),
        figure(`${goal.id}: policies (Ready children of children created: ${result.children.ready}/${result.children.created})`, 'policies', result.children.ready, n, { referenceLabel: `${n} hand-written GPTPolicies` }),
        figure(`${goal.id}: model calls (${result.proposals} proposals + one per child)`, 'calls', result.modelCalls, n, { referenceLabel: `${n} GPTPolicies, right first time` }),
        figure(`${goal.id}: tokens (scripted: ${SCRIPTED_TOKENS_PER_CALL} a call) against spec.tokenBudget ${result.budget}`, 'tokens', result.tokens, n * SCRIPTED_TOKENS_PER_CALL),
        promptTokens.length > 0
          ? figure(`${goal.id}: curriculum prompt per proposal, first / last (js-tiktoken o200k_base)`, 'tokens', promptTokens[promptTokens.length - 1] ?? null, promptTokens[0] ?? null, { referenceLabel: 'the first proposal' })
          : failedFigure(`${goal.id}: curriculum prompt per proposal`, 'tokens', 'no proposal request was recorded'),
      );
      section.notes.push(`${goal.id}: ${result.met ? 'met' : `not met — ${result.reason}`} in ${(result.ms / 1000).toFixed(1)} s; ${API_VERSION} PolicyGoal "${goal.goal.slice(0, 90)}…"`);
      for (const failure of result.failures) section.failures.push(`${goal.id}: ${failure}`);
    } finally {
      await model.close();
    }
  }
}
