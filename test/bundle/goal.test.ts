// A PolicyGoal run by the built bundle as jsPolicy runs it, against a scripted model on 127.0.0.1:
// one proposal call per step, each child a GPTPolicy through the whole pipeline.
import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyGoal } from '../../lib/goal/types.ts';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { JsPolicy } from '../../lib/k8s/types.ts';
import type { ModelAnswer } from '../../lib/model/answer.ts';
import { startFakeModel, type FakeModel, type RecordedRequest, type ScriptedReply } from '../../tools/fake-model/index.ts';
import { LocalJsPolicy } from '../../tools/local/local-jspolicy.ts';
import { denyEnvAnswer } from '../fixtures/answers.ts';
import { goalMet, proposeNext } from '../fixtures/goal.ts';

const GP = 'gptpolicy.dev/v1alpha1';
const JSP = 'policy.jspolicy.com/v1beta1';
const GOAL_TEXT = 'Pods in the test namespace never carry the label env=prod or env=staging';

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

async function setup(script: ScriptedReply[]): Promise<LocalJsPolicy> {
  model = await startFakeModel(script);
  return new LocalJsPolicy({ apiKey: 'sk-goal-test', env: { OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: 'fake' } });
}

const submitted = (answer: ModelAnswer): ScriptedReply => ({ toolCall: { name: 'submit_policy', arguments: answer } });

function goal(spec: Partial<PolicyGoal['spec']> = {}): PolicyGoal {
  return { apiVersion: GP, kind: 'PolicyGoal', metadata: { name: 'no-env-labels' }, spec: { goal: GOAL_TEXT, ...spec } };
}

const goalNow = (local: LocalJsPolicy) => local.get<PolicyGoal>(GP, 'PolicyGoal', 'no-env-labels') as PolicyGoal;
const met = (local: LocalJsPolicy) => goalNow(local).status?.conditions?.find((c) => c.type === 'Met');
const child = (local: LocalJsPolicy, name: string) => local.get<GPTPolicy>(GP, 'GPTPolicy', name);
const userTurn = (request: RecordedRequest | undefined): string => {
  const messages = (request?.body as { messages?: Array<{ role: string; content: string }> }).messages ?? [];
  return messages.find((m) => m.role === 'user')?.content ?? '';
};
const proposals = async (): Promise<RecordedRequest[]> => ((await model?.requests()) ?? []).filter((r) => JSON.stringify(r.body).includes('propose_next'));

describe('a PolicyGoal', () => {
  it('is decomposed into children that all end Ready, each confined to the goal’s namespaces by code, and stops when judged met', async () => {
    const local = await setup([
      // The first proposal asks for namespaces beyond the goal's: code narrows it to "test".
      proposeNext('Deny pods labelled env=prod', { namespaces: ['prod', 'kube-system'] }),
      submitted(denyEnvAnswer('prod')),
      proposeNext('Deny pods labelled env=staging'),
      submitted(denyEnvAnswer('staging')),
      goalMet(),
    ]);
    const created = local.apply(goal());
    const stats = local.settle();
    expect(stats).toMatchObject({ settled: true, errors: [] });
    expect(await model?.requests()).toHaveLength(5);

    const status = goalNow(local).status;
    expect(met(local)).toMatchObject({ status: 'True', reason: 'GoalMet' });
    expect(status).toMatchObject({ stopped: 'GoalMet', summary: '2/2 Ready', scope: ['test'], steps: 3 });
    expect(status?.children?.map((c) => [c.name, c.state, c.namespaces])).toEqual([
      ['no-env-labels-1', 'Ready', ['test']],
      ['no-env-labels-2', 'Ready', ['test']],
    ]);
    expect(status?.children?.[0]?.dropped).toEqual(['prod', 'kube-system']);
    // Every field written survives the CRD's structural pruning.
    expect(Object.keys(status ?? {}).sort()).toEqual(['children', 'conditions', 'goalHash', 'judgement', 'observedGeneration', 'proposal', 'scope', 'skillsLearned', 'steps', 'stopped', 'summary', 'usage']);
    // Tokens: three proposals and two children, 150 each with the fake model.
    expect(status?.usage).toEqual({ modelCalls: 5, proposalTokens: 450, childTokens: 300, totalTokens: 750 });

    const first = child(local, 'no-env-labels-1') as GPTPolicy;
    expect(first.spec.description).toBe('Deny pods labelled env=prod in the namespace test.');
    expect(first.metadata.labels).toMatchObject({ 'gptpolicy.dev/goal': 'no-env-labels' });
    expect(first.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'PolicyGoal', uid: created.metadata.uid, controller: true })]);
    // The child went through the whole pipeline and runs Dry; its selector is read from its own description.
    const policy = local.get<JsPolicy>(JSP, 'JsPolicy', 'no-env-labels-1.gptpolicy.dev');
    expect(policy?.spec.violationPolicy).toBe('Dry');
    expect(JSON.stringify(policy?.spec.namespaceSelector)).toContain('"In","values":["test"]');
    expect(JSON.stringify(policy?.spec.namespaceSelector)).not.toContain('"prod"');
    expect(first.status?.rollout?.stage).toBe('Dry');

    // The second proposal saw the first child Ready.
    const [, second] = await proposals();
    expect(userTurn(second)).toContain('no-env-labels-1 [Ready]: Deny pods labelled env=prod in the namespace test.');
  });

  it('retries a failed child with its failure in the next proposal', async () => {
    const refused = denyEnvAnswer('prod');
    const local = await setup([
      proposeNext('Deny pods labelled env=prod'),
      // An answer for Secrets: refused for good after one call (PolicyRefused).
      submitted({ ...refused, plan: { ...refused.plan, resources: [{ group: '', version: 'v1', resource: 'secrets' }] }, policy: { ...refused.policy, resources: ['secrets'] } }),
      proposeNext('Deny creating or updating pods that carry the label env=prod', { retry: 'no-env-labels-1' }),
      submitted(denyEnvAnswer('prod')),
      goalMet(),
    ]);
    local.apply(goal());
    local.settle();
    const [, second] = await proposals();
    expect(userTurn(second)).toMatch(/no-env-labels-1 \[Failed \(PolicyRefused: .*may be retried\)\]/);
    const status = goalNow(local).status;
    expect(status?.children).toEqual([expect.objectContaining({ name: 'no-env-labels-1', state: 'Ready', retries: 1, intent: 'Deny creating or updating pods that carry the label env=prod in the namespace test.' })]);
    expect(status?.failures).toEqual([expect.objectContaining({ child: 'no-env-labels-1', reason: 'PolicyRefused' })]);
    expect(met(local)).toMatchObject({ status: 'True', reason: 'GoalMet' });
  });

  it('refuses a proposal that names a namespace outside the goal in its text, and says so in the next prompt', async () => {
    const local = await setup([proposeNext('Deny pods labelled env=prod in the prod namespace'), proposeNext('Deny pods labelled env=prod'), submitted(denyEnvAnswer('prod')), goalMet()]);
    local.apply(goal());
    local.settle();
    const [, second] = await proposals();
    expect(userTurn(second)).toContain('the intent names the namespace(s) prod, outside the goal');
    expect(goalNow(local).status?.children?.map((c) => c.intent)).toEqual(['Deny pods labelled env=prod in the namespace test.']);
    expect(child(local, 'no-env-labels-2')).toBeUndefined();
  });

  it('ends with BudgetSpent once the budget is spent, and takes no step on a resync', async () => {
    const usage = { prompt_tokens: 800, completion_tokens: 100, total_tokens: 900 };
    const local = await setup([proposeNext('Deny pods labelled env=prod', { usage }), submitted(denyEnvAnswer('prod'))]);
    local.apply(goal({ tokenBudget: 1000 }));
    local.settle();
    // 900 for the proposal and 150 for its child: over 1000, so no further proposal is asked for.
    expect(await model?.requests()).toHaveLength(2);
    expect(met(local)).toMatchObject({ status: 'False', reason: 'BudgetSpent' });
    expect(met(local)?.message).toContain('spent 1050 of 1000 tokens');
    expect(goalNow(local).status).toMatchObject({ stopped: 'BudgetSpent', summary: '1/1 Ready', usage: { totalTokens: 1050 } });

    local.writes.reset();
    local.loop.requeueAll();
    const stats = local.settle();
    expect(stats.runs).toBeGreaterThan(0);
    expect(local.writes.total()).toBe(0);
    expect(await model?.requests()).toHaveLength(2);
  });

  it('a goal’s deletion removes its children (and their policies) as their owner', async () => {
    const local = await setup([proposeNext('Deny pods labelled env=prod'), submitted(denyEnvAnswer('prod')), goalMet()]);
    local.apply(goal());
    local.settle();
    expect(child(local, 'no-env-labels-1')).toBeDefined();
    expect(local.cluster.remove(GP, 'PolicyGoal', undefined, 'no-env-labels').ok).toBe(true);
    local.settle();
    expect(child(local, 'no-env-labels-1')).toBeUndefined();
    expect(local.get(JSP, 'JsPolicy', 'no-env-labels-1.gptpolicy.dev')).toBeUndefined();
    expect(await model?.requests()).toHaveLength(3);
  });
});
