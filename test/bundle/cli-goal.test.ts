// `npx gptpolicy goal` as a user runs it: the built CLI in its own process, a scripted model on 127.0.0.1.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startFakeModel, type FakeModel } from '../../tools/fake-model/index.ts';
import { repoFile } from '../../tools/local/paths.ts';
import { denyEnvAnswer } from '../fixtures/answers.ts';
import { goalMet, proposeNext } from '../fixtures/goal.ts';

const run = promisify(execFile);
let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
});

async function goal(args: string[]) {
  const env = { ...process.env, OPENAI_API_KEY: 'sk-fake', OPENAI_BASE_URL: model!.baseUrl, OPENAI_MODEL: 'fake' };
  const { stdout, stderr } = await run(process.execPath, [repoFile('dist/cli.mjs'), 'goal', ...args], { env, timeout: 90_000 });
  return { docs: parseAllDocuments(stdout).map((d) => d.toJS()), stderr };
}

describe('gptpolicy goal', () => {
  it('runs the curriculum to its end and prints the goal, each child and its policy, and the progress', { timeout: 90_000 }, async () => {
    model = await startFakeModel([
      proposeNext('Deny pods labelled env=prod', { namespaces: ['prod'] }),
      { toolCall: { name: 'submit_policy', arguments: denyEnvAnswer('prod') } },
      goalMet('pods labelled env=prod are denied in test'),
    ]);
    const { docs, stderr } = await goal(['Pods in the test namespace never carry the label env=prod', '--name', 'no-prod', '--budget', '5000']);
    expect(docs.map((d) => d.kind)).toEqual(['PolicyGoal', 'GPTPolicy', 'JsPolicy', 'JsPolicyBundle']);
    expect(docs[0]).toMatchObject({ spec: { tokenBudget: 5000 }, status: { stopped: 'GoalMet', summary: '1/1 Ready' } });
    expect(docs[2]).toMatchObject({ metadata: { name: 'no-prod-1.gptpolicy.dev' }, spec: { violationPolicy: 'Dry' } });
    expect(stderr).toContain('child no-prod-1: Ready, policy no-prod-1.gptpolicy.dev at stage Dry');
    expect(stderr).toContain('namespaces left out by code: prod');
    expect(stderr).toContain('model calls: 3 (2 proposals), tokens: 450 of 5000 budget; 1/1 Ready');
    expect(stderr).toContain('goal: met — GoalMet: pods labelled env=prod are denied in test');
  });

  it('exits 1 with the reason when the goal is not met', { timeout: 90_000 }, async () => {
    model = await startFakeModel([{ toolCall: { name: 'propose_next', arguments: { verdict: 'unreachable', reason: 'node settings are not admission requests', intent: '', namespaces: [], retry: '' } } }]);
    const error = await goal(['Nodes in the cluster run the latest kernel']).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr).toContain('goal: not met — GoalUnreachable: node settings are not admission requests');
  });
});
