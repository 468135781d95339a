// `npx gptpolicy generate` as a user runs it: the built CLI in its own process, a fake model on 127.0.0.1.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startFakeModel, type FakeModel } from '../../tools/fake-model/index.ts';
import { repoFile } from '../../tools/local/paths.ts';
import { denyProdAnswer, iamAnswer, IAM_INTENT } from '../fixtures/answers.ts';

const run = promisify(execFile);
let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
});

async function generate(args: string[]) {
  const env = { ...process.env, OPENAI_API_KEY: 'sk-fake', OPENAI_BASE_URL: model!.baseUrl, OPENAI_MODEL: 'fake' };
  const { stdout, stderr } = await run(process.execPath, [repoFile('dist/cli.mjs'), 'generate', ...args], { env, timeout: 60_000 });
  return { docs: parseAllDocuments(stdout).map((d) => d.toJS()), stderr };
}

describe('gptpolicy generate', () => {
  it('prints an owned, guard-railed JsPolicy after exactly one model call', { timeout: 60_000 }, async () => {
    model = await startFakeModel([{ toolCall: { name: 'submit_policy', arguments: denyProdAnswer() } }]);
    const { docs, stderr } = await generate(['Deny pods with the label env=prod in the test namespace', '--name', 'deny-prod']);
    const [policy, gp] = docs;
    expect(policy).toMatchObject({ kind: 'JsPolicy', spec: { failurePolicy: 'Ignore', timeoutSeconds: 5, violationPolicy: 'Dry' }, metadata: { ownerReferences: [{ kind: 'GPTPolicy', name: 'deny-prod', controller: true }] } });
    expect(gp).toMatchObject({ kind: 'GPTPolicy', status: { policyName: 'deny-prod.gptpolicy.dev', usage: { modelCalls: 1 } } });
    expect(stderr).toContain('model calls: 1');
    expect(await model.requests()).toHaveLength(1);
    // The Events `kubectl describe gptp deny-prod` would show.
    expect(stderr).toContain('API writes: 10 (2 of them Events)');
    expect(stderr).toMatch(/Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n.*\n\s+Normal\s+Generated\s+\d+s\s+gptpolicy-controller\s+JsPolicy deny-prod.gptpolicy.dev generated: .*\n\s+Normal\s+Applied\s+\d+s\s+gptpolicy-controller\s+JsPolicy deny-prod.gptpolicy.dev applied at stage Dry; /);
  });

  it("fixes the prototype's apiGroups mistake on the second call, showing each attempt", { timeout: 60_000 }, async () => {
    model = await startFakeModel([
      { toolCall: { name: 'submit_policy', arguments: iamAnswer('configconnector.cnrm.cloud.google.com') } },
      { toolCall: { name: 'submit_policy', arguments: iamAnswer('iam.cnrm.cloud.google.com') } },
    ]);
    const { docs, stderr } = await generate([IAM_INTENT, '--name', 'iam', '--cluster', repoFile('test/fixtures/config-connector-iampolicy-crd.yaml')]);
    expect(docs[0]).toMatchObject({ kind: 'JsPolicy', spec: { apiGroups: ['iam.cnrm.cloud.google.com'] } });
    expect(stderr).toMatch(/attempt 1: findings — .*api-group-mismatch/);
    expect(stderr).toContain('attempt 2: applied');
    const requests = await model.requests();
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]?.body)).toContain('set apiGroups to [\\"iam.cnrm.cloud.google.com\\"]');
  });

  it('exits 1 with the reason when no policy comes out', { timeout: 60_000 }, async () => {
    model = await startFakeModel([{ status: 401, body: { error: { message: 'bad key' } } }]);
    const error = await generate(['Deny pods with the label env=prod in the test namespace']).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr).toContain('no policy came out: ModelAuthFailed');
  });
});
