// The feedback loop on the built bundle: what is wrong goes back to the model, within the budget.
import { afterEach, describe, expect, it } from 'vitest';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { JsPolicy } from '../../lib/k8s/types.ts';
import { startFakeModel, type FakeModel, type ScriptedReply } from '../../tools/fake-model/index.ts';
import { LocalJsPolicy, readYamlObjects, type LocalJsPolicyOptions } from '../../tools/local/local-jspolicy.ts';
import { denyProdAnswer, iamAnswer, IAM_INTENT, INCIDENT_INTENT } from '../fixtures/answers.ts';

const GP = 'gptpolicy.dev/v1alpha1';
const JSP = 'policy.jspolicy.com/v1beta1';
const CRD = readYamlObjects(new URL('../fixtures/config-connector-iampolicy-crd.yaml', import.meta.url).pathname);

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

async function run(description: string, script: ScriptedReply[], options: LocalJsPolicyOptions = {}) {
  model = await startFakeModel(script);
  const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl }, ...options });
  local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'p' }, spec: { description } });
  local.settle();
  const gp = local.get<GPTPolicy>(GP, 'GPTPolicy', 'p') as GPTPolicy;
  const policy = gp.status?.policyName ? local.get<JsPolicy>(JSP, 'JsPolicy', gp.status.policyName) : undefined;
  return { local, gp, policy, requests: await model.requests(), ready: gp.status?.conditions?.find((c) => c.type === 'Ready') };
}

const answered = (answer: unknown): ScriptedReply => ({ toolCall: { name: 'submit_policy', arguments: answer } });

describe("the prototype's apiGroups mistake", () => {
  it('is corrected on the second call, whose messages name it and the right group', async () => {
    const { policy, requests, ready, gp } = await run(IAM_INTENT, [answered(iamAnswer('configconnector.cnrm.cloud.google.com')), answered(iamAnswer('iam.cnrm.cloud.google.com'))], { objects: CRD });
    expect(requests).toHaveLength(2);
    const second = JSON.stringify(requests[1]?.body);
    expect(second).toContain('api-group-mismatch');
    expect(second).toContain('iam.cnrm.cloud.google.com');
    expect(ready).toMatchObject({ status: 'True', reason: 'PolicyApplied' });
    expect(policy?.spec.apiGroups).toEqual(['iam.cnrm.cloud.google.com']);
    expect(gp.status?.attempts?.map((a) => a.outcome)).toEqual(['findings', 'applied']);
  });
});

describe('a policy failing its own test cases', () => {
  it('gets the failures back and is fixed', async () => {
    const broken = denyProdAnswer();
    broken.policy.javascript = "if (request.object?.metadata?.labels?.env === 'production') { deny('no prod'); }";
    const { requests, ready } = await run(INCIDENT_INTENT, [answered(broken), answered(denyProdAnswer())]);
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]?.body)).toContain('prod pod in test is denied: expected deny, got allow');
    expect(ready).toMatchObject({ status: 'True' });
  });
});

describe('answers that never converge', () => {
  it('stop at the budget with nothing applied', async () => {
    const wrong = answered(iamAnswer('configconnector.cnrm.cloud.google.com'));
    const { local, requests, ready, gp } = await run(IAM_INTENT, [wrong, wrong, wrong, answered(iamAnswer('iam.cnrm.cloud.google.com'))], { objects: CRD });
    expect(requests).toHaveLength(3);
    expect(ready).toMatchObject({ status: 'False', reason: 'AttemptsExhausted' });
    expect(local.cluster.list(JSP, 'JsPolicy').filter((p) => p.metadata.name?.startsWith('p.'))).toEqual([]);
    expect(gp.status?.attempts).toHaveLength(3);
  });

  it('honour a smaller spec.maxAttempts', async () => {
    model = await startFakeModel([answered(iamAnswer('configconnector.cnrm.cloud.google.com'))], { whenExhausted: 'repeat-last' });
    const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl }, objects: CRD });
    local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'p' }, spec: { description: IAM_INTENT, maxAttempts: 1 } });
    local.settle();
    expect(await model.requests()).toHaveLength(1);
  });
});

describe('platform feedback', () => {
  it('a compile failure jsPolicy reports after create() starts one correction round, and only one', async () => {
    const fixed = denyProdAnswer();
    fixed.policy.javascript = fixed.policy.javascript.replace('are not allowed', 'are refused');
    const { local, policy } = await run(INCIDENT_INTENT, [answered(denyProdAnswer()), answered(fixed)]);
    // jsPolicy compiles spec.javascript with webpack after our create() and writes its verdict to the
    // policy's status; the local runtime's compile step is a syntax check, so the verdict is written here.
    const failCompile = (target: JsPolicy) => {
      const status = {
        phase: 'Failed',
        reason: 'CompileFailed',
        message: 'webpack: Module not found: left-pad',
        observedGeneration: target.metadata.generation,
        conditions: [{ type: 'BundleCompiled', status: 'False', severity: 'Error', reason: 'CompileFailed', message: 'webpack: Module not found: left-pad', lastTransitionTime: '2026-01-01T00:00:00Z' }],
      };
      expect(local.cluster.updateStatus({ ...target, status } as JsPolicy).ok).toBe(true);
    };
    failCompile(policy as JsPolicy);
    local.settle();
    const requests = await model!.requests();
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]?.body)).toContain('Module not found: left-pad');
    const after = local.get<GPTPolicy>(GP, 'GPTPolicy', 'p');
    expect(after?.status?.attempts?.map((a) => a.outcome)).toEqual(['applied', 'compile-failed', 'applied']);
    // The platform's round is spent: a second compile failure is reported, not sent to the model again.
    failCompile(local.get<JsPolicy>(JSP, 'JsPolicy', after?.status?.policyName ?? '') as JsPolicy);
    local.settle();
    expect(await model!.requests()).toHaveLength(2);
    expect(local.get<GPTPolicy>(GP, 'GPTPolicy', 'p')?.status?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'PolicyCompileFailed' });
  });

  it('events of JsPolicies that are not ours cost nothing', async () => {
    const { local } = await run(INCIDENT_INTENT, [answered(denyProdAnswer())]);
    local.writes.reset();
    local.apply({ apiVersion: JSP, kind: 'JsPolicy', metadata: { name: 'other.example.com' }, spec: { operations: ['CREATE'], resources: ['configmaps'], apiGroups: [''], javascript: 'allow()' } });
    local.settle();
    expect(local.writes.total()).toBe(0);
    expect(await model!.requests()).toHaveLength(1);
  });
});
