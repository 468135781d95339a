// The built controller bundle, run as jsPolicy runs it, against a fake model on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { JsPolicy } from '../../lib/k8s/types.ts';
import { startFakeModel, type FakeModel, type ScriptedReply } from '../../tools/fake-model/index.ts';
import { LocalJsPolicy, type LocalJsPolicyOptions } from '../../tools/local/local-jspolicy.ts';
import { denyEnvAnswer, denyProdAnswer, INCIDENT_INTENT } from '../fixtures/answers.ts';
import { JSPOLICY_V8 } from '../fixtures/engine.ts';
import { appliedCode } from '../fixtures/bundle.ts';

const API_KEY = 'sk-test-key-that-must-never-leak';
const GP = 'gptpolicy.dev/v1alpha1';
const JSP = 'policy.jspolicy.com/v1beta1';
const POLICY_NAME = 'deny-prod.gptpolicy.dev';

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

async function setup(script: ScriptedReply[], options: LocalJsPolicyOptions = {}): Promise<{ local: LocalJsPolicy; model: FakeModel; logs: string[] }> {
  model = await startFakeModel(script);
  const logs: string[] = [];
  const local = new LocalJsPolicy({ apiKey: API_KEY, env: { OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: 'fake' }, log: (l) => logs.push(l), ...options });
  return { local, model, logs };
}

function gptPolicy(description = INCIDENT_INTENT): GPTPolicy {
  return { apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'deny-prod' }, spec: { description } };
}

const answered = (answer = denyProdAnswer()): ScriptedReply => ({ toolCall: { name: 'submit_policy', arguments: answer } });

function ready(local: LocalJsPolicy) {
  return local.get<GPTPolicy>(GP, 'GPTPolicy', 'deny-prod')?.status?.conditions?.find((c) => c.type === 'Ready');
}

describe('a new GPTPolicy', () => {
  it('costs one model call and ends Ready with an owned, guard-railed policy', async () => {
    const { local, model, logs } = await setup([answered()]);
    const gp = local.apply(gptPolicy());
    const stats = local.settle();
    expect(stats).toMatchObject({ settled: true, errors: [], v8: JSPOLICY_V8 });
    expect(await model.requests()).toHaveLength(1);
    const status = local.get<GPTPolicy>(GP, 'GPTPolicy', 'deny-prod')?.status;
    expect(ready(local)).toMatchObject({ status: 'True', reason: 'PolicyApplied' });
    expect(status).toMatchObject({ policyName: POLICY_NAME, usage: { modelCalls: 1, totalTokens: 150 }, plan: { namespaces: ['test'] } });
    const policy = local.get<JsPolicy>(JSP, 'JsPolicy', POLICY_NAME);
    expect(policy?.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'GPTPolicy', uid: gp.metadata.uid, controller: true })]);
    expect(policy?.spec).toMatchObject({ type: 'Validating', failurePolicy: 'Ignore', timeoutSeconds: 5 });
    expect(JSON.stringify(policy?.spec.namespaceSelector)).toContain('kube-system');
    expect(JSON.stringify(policy?.spec.namespaceSelector)).toContain('jspolicy');
    expect(logs.join('\n')).not.toContain(API_KEY);
    expect(JSON.stringify(local.get(GP, 'GPTPolicy', 'deny-prod'))).not.toContain(API_KEY);
  });

  it("makes eight writes: the in-flight mark, the answered mark, the finalizer, the JsPolicyBundle, the JsPolicy, the final status, the preview's mark and the preview — and two Events", async () => {
    const { local } = await setup([answered()]);
    local.apply(gptPolicy());
    local.settle();
    expect(local.writes.total() - local.writes.events()).toBe(8);
    expect(local.writes.events()).toBe(2);
  });

  it('sends the key only as a bearer token, with a forced tool choice and a length limit', async () => {
    const { local, model } = await setup([answered()]);
    local.apply(gptPolicy());
    local.settle();
    const [request] = await model.requests();
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toMatchObject({ model: 'fake', tool_choice: { type: 'function', function: { name: 'submit_policy' } }, max_completion_tokens: 4000 });
  });
});

describe('once Ready', () => {
  it('a resync and our own status writes cost no call and no write', async () => {
    const { local, model } = await setup([answered()]);
    local.apply(gptPolicy());
    local.settle();
    local.writes.reset();
    local.loop.requeueAll();
    const stats = local.settle();
    expect(stats.runs).toBeGreaterThan(0);
    expect(local.writes.total()).toBe(0);
    expect(await model.requests()).toHaveLength(1);
  });

  it('a description change costs one call and updates the same policy', async () => {
    const { local, model } = await setup([answered(), answered(denyEnvAnswer('staging'))]);
    local.apply(gptPolicy());
    local.settle();
    const before = local.get<JsPolicy>(JSP, 'JsPolicy', POLICY_NAME);
    const current = local.get<GPTPolicy>(GP, 'GPTPolicy', 'deny-prod') as GPTPolicy;
    local.apply({ ...current, spec: { description: 'Deny pods labelled env=staging in the test namespace' } });
    local.settle();
    expect(await model.requests()).toHaveLength(2);
    const after = local.get<JsPolicy>(JSP, 'JsPolicy', POLICY_NAME);
    expect(after?.metadata.uid).toBe(before?.metadata.uid);
    expect(after?.spec.javascript).toBeUndefined();
    expect(appliedCode(local, POLICY_NAME)).toContain('staging');
    expect(ready(local)).toMatchObject({ status: 'True' });
  });

  it('deleting the GPTPolicy deletes its policy and calls nothing', async () => {
    const { local, model } = await setup([answered()]);
    local.apply(gptPolicy());
    local.settle();
    expect(local.cluster.remove(GP, 'GPTPolicy', undefined, 'deny-prod').ok).toBe(true);
    local.settle();
    expect(local.get(JSP, 'JsPolicy', POLICY_NAME)).toBeUndefined();
    expect(await model.requests()).toHaveLength(1);
  });
});

describe('failures become status', () => {
  it('a JsPolicy of that name we do not own is left alone', async () => {
    const { local } = await setup([answered()]);
    const foreign = { apiVersion: JSP, kind: 'JsPolicy', metadata: { name: POLICY_NAME }, spec: { operations: ['CREATE'], resources: ['configmaps'], javascript: 'allow()' } };
    local.apply(foreign);
    local.apply(gptPolicy());
    local.settle();
    expect(ready(local)).toMatchObject({ status: 'False', reason: 'PolicyNameTaken' });
    expect(local.get<JsPolicy>(JSP, 'JsPolicy', POLICY_NAME)?.spec.resources).toEqual(['configmaps']);
  });

  it('without a key, says how to create the Secret and calls nothing', async () => {
    const { local, model } = await setup([answered()], { apiKey: undefined });
    local.apply(gptPolicy());
    local.settle();
    expect(ready(local)).toMatchObject({ status: 'False', reason: 'NoApiKey' });
    expect(ready(local)?.message).toContain('create secret generic gptpolicy-openai');
    expect(await model.requests()).toHaveLength(0);
  });

  it('a lost final status write is recovered from the applied policy, not reported as an interrupted call', async () => {
    // A cluster webhook that fails the status write carrying the attempts (the run's last write).
    const flaky = { apiVersion: JSP, kind: 'JsPolicy', metadata: { name: 'flaky-status.example.com' }, spec: { type: 'Validating', operations: ['UPDATE'], resources: ['gptpolicies/status'], apiGroups: ['gptpolicy.dev'], javascript: "if (request.object?.status?.attempts) deny('etcdserver: request timed out')" } };
    const { local, model } = await setup([answered()], { objects: [flaky] });
    local.apply(gptPolicy());
    local.settle();
    expect(ready(local)).toMatchObject({ status: 'True', reason: 'PolicyApplied' });
    expect(ready(local)?.message).toContain('ended before it could write this status');
    const status = local.get<GPTPolicy>(GP, 'GPTPolicy', 'deny-prod')?.status;
    expect(status).toMatchObject({ policyName: POLICY_NAME, rollout: { stage: 'Dry' } });
    expect(await model.requests()).toHaveLength(1);
  });

  it('a tampered toolkit is refused before any model call', async () => {
    const { local, model } = await setup([answered()]);
    const configMap = local.get('v1', 'ConfigMap', 'gptpolicy-toolkit', 'jspolicy');
    local.apply({ ...configMap!, data: { 'toolkit.js': 'var __gptpolicyToolkit = {}; /* not ours */' } });
    local.apply(gptPolicy());
    local.settle();
    expect(ready(local)).toMatchObject({ status: 'False', reason: 'BadConfig' });
    expect(ready(local)?.message).toContain('is not the toolkit this controller was built with');
    expect(await model.requests()).toHaveLength(0);
  });

  it('a 429 waits for Retry-After before the next call, then succeeds', async () => {
    const { local, model } = await setup([{ status: 429, headers: { 'retry-after': '60' } }, answered()]);
    local.apply(gptPolicy());
    const start = local.loop.clock();
    local.settle({ maxVirtualMs: 30_000 });
    expect(await model.requests()).toHaveLength(1);
    expect(ready(local)).toMatchObject({ status: 'False', reason: 'ModelRateLimited' });
    local.settle();
    expect(await model.requests()).toHaveLength(2);
    expect(local.loop.clock() - start).toBeGreaterThanOrEqual(60_000);
    expect(ready(local)).toMatchObject({ status: 'True', reason: 'PolicyApplied' });
  });

  it('a 500 backs off and retries', async () => {
    const { local, model } = await setup([{ status: 500 }, answered()]);
    local.apply(gptPolicy());
    local.settle();
    expect(await model.requests()).toHaveLength(2);
    expect(ready(local)).toMatchObject({ status: 'True' });
  });

  it('a malformed tool call goes back to the model, which fixes it on the next call', async () => {
    const { local, model } = await setup([{ toolCall: { name: 'submit_policy', arguments: '{"plan": ' } }, answered()]);
    local.apply(gptPolicy());
    local.settle();
    const requests = await model.requests();
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]?.body)).toContain('could not be read');
    expect(ready(local)).toMatchObject({ status: 'True', reason: 'PolicyApplied' });
  });

  it('malformed answers stop at the attempt budget with nothing applied', async () => {
    const malformed: ScriptedReply = { toolCall: { name: 'submit_policy', arguments: '{"plan": ' } };
    const { local, model } = await setup([malformed, malformed, malformed, answered()]);
    local.apply(gptPolicy());
    local.settle();
    expect(await model.requests()).toHaveLength(3);
    expect(ready(local)).toMatchObject({ status: 'False', reason: 'MalformedAnswer' });
    expect(local.get(JSP, 'JsPolicy', POLICY_NAME)).toBeUndefined();
  });

  it.each([
    ['a body that is not JSON', { status: 200, body: '<html>oops</html>' } as ScriptedReply, 'ModelBadResponse'],
    ['a 400', { status: 400 } as ScriptedReply, 'ModelRequestRejected'],
  ])('%s ends the intent without a retry', async (_name, reply, reason) => {
    const { local, model } = await setup([reply, answered()]);
    local.apply(gptPolicy());
    local.settle();
    expect(ready(local)).toMatchObject({ status: 'False', reason });
    expect(await model.requests()).toHaveLength(1);
  });

  it('a policy the API server rejects gets one correction round, then is reported with its reason', async () => {
    // A hand-written admission policy of the cluster's that refuses every new JsPolicy.
    const gate = { apiVersion: JSP, kind: 'JsPolicy', metadata: { name: 'no-new-policies.example.com' }, spec: { type: 'Validating', operations: ['CREATE'], resources: ['jspolicies'], apiGroups: ['policy.jspolicy.com'], javascript: "deny('policy freeze in effect')" } };
    const { local, model } = await setup([answered(), answered()], { objects: [gate] });
    local.apply(gptPolicy());
    local.settle();
    const requests = await model.requests();
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]?.body)).toContain('policy freeze in effect');
    expect(ready(local)).toMatchObject({ status: 'False', reason: 'PolicyRejected' });
    expect(ready(local)?.message).toContain('policy freeze in effect');
  });

  it('a run killed at the timeout is reported by the next event, without a second call', async () => {
    // 2 s: the run reads and evaluates the reconciler and the toolkit before its in-flight mark.
    const { local, model } = await setup([{ ...answered(), delayMs: 3500 }], { controllerSpec: { timeoutSeconds: 2 } });
    local.apply(gptPolicy());
    const stats = local.settle();
    expect(stats.errors.join('\n')).toContain('timed out');
    expect(ready(local)).toMatchObject({ status: 'False', reason: 'ModelCallInterrupted' });
    expect(await model.requests()).toHaveLength(1);
  });
});
