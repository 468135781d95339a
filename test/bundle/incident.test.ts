// The prototype's incident, replayed on the built bundle: its intent, answered with its unscoped
// policy, must not be able to take the cluster down — and must still do what the intent asked.
import { afterEach, describe, expect, it } from 'vitest';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { AdmissionRequest, JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import { matchesWebhook } from '../../lib/policy/webhook-match.ts';
import { startFakeModel, type FakeModel, type ScriptedReply } from '../../tools/fake-model/index.ts';
import { LocalJsPolicy } from '../../tools/local/local-jspolicy.ts';
import { clusterNamespaceLabels } from '../../tools/runtime/webhook/namespace-labels.ts';
import { denyEnvAnswer, INCIDENT_INTENT, prototypeAnswer, PULL_INTENT, pullAlwaysAnswer } from '../fixtures/answers.ts';
import { appliedCode } from '../fixtures/bundle.ts';

const GP = 'gptpolicy.dev/v1alpha1';
const JSP = 'policy.jspolicy.com/v1beta1';
const NAMESPACES = ['test', 'kube-system', 'kube-public', 'kube-node-lease', 'default', 'prod'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
const ALICE = { username: 'alice', groups: ['reviewers'] };

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

async function incident(script: ScriptedReply[] = [{ toolCall: { name: 'submit_policy', arguments: prototypeAnswer() } }]) {
  model = await startFakeModel(script);
  const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl }, objects: NAMESPACES });
  local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'deny-prod' }, spec: { description: INCIDENT_INTENT } });
  local.settle();
  return local;
}

const gpOf = (local: LocalJsPolicy) => local.get<GPTPolicy>(GP, 'GPTPolicy', 'deny-prod') as GPTPolicy;
const policyOf = (local: LocalJsPolicy) => local.get<JsPolicy>(JSP, 'JsPolicy', gpOf(local).status?.policyName ?? '') as JsPolicy;

let podNumber = 0;
function createPod(local: LocalJsPolicy, namespace: string, labels?: Record<string, string>) {
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${++podNumber}`, namespace, ...(labels ? { labels } : {}) }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  return local.cluster.create(pod, ALICE);
}

function approve(local: LocalJsPolicy, stage: 'Warn' | 'Deny', specHash = gpOf(local).status?.rollout?.specHash ?? '') {
  const approval = { apiVersion: GP, kind: 'PolicyApproval', metadata: { name: `deny-prod.${stage.toLowerCase()}` }, spec: { gptPolicy: 'deny-prod', stage, specHash, approvedBy: 'mallory' } };
  const created = local.cluster.create(approval, ALICE);
  local.settle();
  return created;
}

const podRequest = (namespace: string): AdmissionRequest => ({
  uid: 'u',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  namespace,
  name: 'x',
  operation: 'CREATE',
  userInfo: ALICE,
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace, labels: { env: 'prod' } } },
  oldObject: null,
  options: null,
});

describe("the prototype's incident", () => {
  it('yields a policy that starts Dry: it blocks nothing and logs what it would deny', async () => {
    const local = await incident();
    const policy = policyOf(local);
    expect(gpOf(local).status?.rollout).toMatchObject({ stage: 'Dry' });
    expect(policy.spec).toMatchObject({ violationPolicy: 'Dry', failurePolicy: 'Ignore', timeoutSeconds: 5 });
    expect(createPod(local, 'test', { env: 'prod' }).ok).toBe(true);
    const violations = local.get<KubeObject>(JSP, 'JsPolicyViolations', policy.metadata.name ?? '');
    expect(JSON.stringify(violations?.status)).toContain('env=prod are not allowed');
  });

  it('once approved, denies a prod pod in test, allows a dev pod there, and never reaches pods elsewhere', async () => {
    const local = await incident();
    expect(approve(local, 'Deny').ok).toBe(true);
    const policy = policyOf(local);
    expect(policy.spec.violationPolicy).toBe('Deny');
    expect(gpOf(local).status?.rollout).toMatchObject({ stage: 'Deny', approval: 'deny-prod.deny', approvedBy: 'alice' });

    const denied = createPod(local, 'test', { env: 'prod' });
    expect(denied).toMatchObject({ ok: false, reason: 'Forbidden' });
    expect(!denied.ok && denied.message).toContain('env=prod are not allowed');
    expect(createPod(local, 'test', { env: 'dev' }).ok).toBe(true);
    // A pod with no labels makes the prototype's code throw: it fails open instead of rejecting.
    expect(createPod(local, 'test').ok).toBe(true);
    for (const namespace of ['kube-system', 'jspolicy', 'default', 'prod', 'kube-node-lease']) {
      expect(matchesWebhook(policy, podRequest(namespace), clusterNamespaceLabels(local.cluster)), namespace).toBe(false);
      expect(createPod(local, namespace, { env: 'prod' }).ok, namespace).toBe(true);
    }
    expect(matchesWebhook(policy, podRequest('test'), clusterNamespaceLabels(local.cluster))).toBe(true);
  });

  it('records who approved, whatever the approval claims', async () => {
    const local = await incident();
    approve(local, 'Deny');
    expect(local.get<KubeObject>(GP, 'PolicyApproval', 'deny-prod.deny')?.spec).toMatchObject({ approvedBy: 'alice' });
  });
});

describe('impact preview', () => {
  it('counts what the policy would deny among the pods that already exist, before it enforces', async () => {
    model = await startFakeModel([{ toolCall: { name: 'submit_policy', arguments: prototypeAnswer() } }]);
    const pod = (namespace: string, name: string, env?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, ...(env ? { labels: { env } } : {}) }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const existing = [pod('test', 'a', 'prod'), pod('test', 'b', 'prod'), pod('test', 'c', 'dev'), pod('test', 'd'), pod('default', 'e', 'prod'), pod('kube-system', 'f', 'prod')];
    const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl }, objects: [...NAMESPACES, ...existing] });
    local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'deny-prod' }, spec: { description: INCIDENT_INTENT } });
    local.settle();
    const impact = gpOf(local).status?.impact;
    // Only the pods in test reach the webhook; the unlabelled one makes the code throw.
    expect(impact).toMatchObject({ pending: false, evaluated: 4, affected: 2, errors: 1, complete: true, specHash: gpOf(local).status?.rollout?.specHash });
    expect(JSON.stringify(impact)).toContain('Pod test/a');
    expect(JSON.stringify(impact)).not.toContain('default/e');
    expect(policyOf(local).spec.violationPolicy).toBe('Dry');
  });
});

describe('a Mutating policy', () => {
  it('may not mutate what the intent did not name, and goes from Dry straight to Deny', async () => {
    model = await startFakeModel([
      { toolCall: { name: 'submit_policy', arguments: pullAlwaysAnswer(true) } },
      { toolCall: { name: 'submit_policy', arguments: pullAlwaysAnswer() } },
    ]);
    const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl }, objects: [...NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }] });
    local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'deny-prod' }, spec: { description: PULL_INTENT } });
    local.settle();
    const requests = await model.requests();
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]?.body)).toContain('it changes metadata.labels');
    expect(policyOf(local).spec).toMatchObject({ type: 'Mutating', violationPolicy: 'Dry' });
    // Dry drops patches: nothing changes yet.
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'dev' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const dry = local.cluster.create(pod, ALICE);
    expect(dry.ok && (dry.object.spec as { containers: Array<{ imagePullPolicy?: string }> }).containers[0]?.imagePullPolicy).toBeUndefined();
    approve(local, 'Warn');
    expect(policyOf(local).spec.violationPolicy).toBe('Dry');
    expect(local.get<KubeObject>(GP, 'PolicyApproval', 'deny-prod.warn')?.status).toMatchObject({ phase: 'Invalid' });
    approve(local, 'Deny');
    expect(policyOf(local).spec.violationPolicy).toBe('Deny');
    const enforced = local.cluster.create({ ...pod, metadata: { name: 'web2', namespace: 'dev' } }, ALICE);
    expect(enforced.ok && (enforced.object.spec as { containers: Array<{ imagePullPolicy?: string }> }).containers[0]?.imagePullPolicy).toBe('Always');
  });
});

describe('code errors in the cluster', () => {
  it('a TypeError while Dry is logged, let through, and sent back to the model as live feedback', async () => {
    const local = await incident([
      { toolCall: { name: 'submit_policy', arguments: prototypeAnswer() } },
      { toolCall: { name: 'submit_policy', arguments: denyEnvAnswer('prod') } },
    ]);
    // An unlabelled pod: the prototype's `request.object.metadata.labels.env` throws.
    expect(createPod(local, 'test').ok).toBe(true);
    local.settle();
    const requests = await model!.requests();
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]?.body)).toContain("TypeError: Cannot read properties of undefined (reading 'env')");
    expect(gpOf(local).status?.attempts?.map((a) => a.outcome)).toEqual(['applied', 'runtime-error', 'applied']);
    expect(appliedCode(local, policyOf(local).metadata.name ?? '')).toContain("labels?.env === 'prod'");
  });

  it('violations show in the status', async () => {
    const local = await incident();
    createPod(local, 'test', { env: 'prod' });
    local.settle();
    expect(gpOf(local).status?.violations).toMatchObject({ observed: 1, codeErrors: 0 });
  });
});

describe('rollout', () => {
  it('ignores an approval of another hash and says it is stale', async () => {
    const local = await incident();
    approve(local, 'Deny', 'f'.repeat(64));
    expect(policyOf(local).spec.violationPolicy).toBe('Dry');
    expect(local.get<KubeObject>(GP, 'PolicyApproval', 'deny-prod.deny')?.status).toMatchObject({ phase: 'Stale' });
  });

  it('promotes Dry → Warn → Deny, and back when an approval is withdrawn', async () => {
    const local = await incident();
    approve(local, 'Warn');
    expect(policyOf(local).spec.violationPolicy).toBe('Warn');
    approve(local, 'Deny');
    expect(policyOf(local).spec.violationPolicy).toBe('Deny');
    expect(local.get<KubeObject>(GP, 'PolicyApproval', 'deny-prod.warn')?.status).toMatchObject({ phase: 'Superseded' });
    local.cluster.remove(GP, 'PolicyApproval', undefined, 'deny-prod.deny');
    local.settle();
    expect(policyOf(local).spec.violationPolicy).toBe('Warn');
  });

  it('an approval deleted while the controller is down still steps the policy back', async () => {
    const local = await incident();
    approve(local, 'Deny');
    expect(policyOf(local).spec.violationPolicy).toBe('Deny');
    local.loop.stop();
    local.cluster.remove(GP, 'PolicyApproval', undefined, 'deny-prod.deny');
    // jsPolicy restarts the controller with RequeueAll over what exists: the finalizer kept it.
    expect(local.loop.start().ok).toBe(true);
    local.settle();
    expect(policyOf(local).spec.violationPolicy).toBe('Dry');
    expect(local.get(GP, 'PolicyApproval', 'deny-prod.deny')).toBeUndefined();
  });

  it('a regenerated policy falls back to Dry until its new hash is approved', async () => {
    const local = await incident([
      { toolCall: { name: 'submit_policy', arguments: prototypeAnswer() } },
      { toolCall: { name: 'submit_policy', arguments: denyEnvAnswer('staging') } },
    ]);
    approve(local, 'Deny');
    const approvedHash = gpOf(local).status?.rollout?.specHash;
    local.apply({ ...gpOf(local), spec: { description: "Deny pods with the label 'env=staging' in the 'test' namespace." } });
    local.settle();
    expect(gpOf(local).status?.rollout?.specHash).not.toBe(approvedHash);
    expect(policyOf(local).spec.violationPolicy).toBe('Dry');
    expect(gpOf(local).status?.rollout).toMatchObject({ stage: 'Dry' });
  });

  it('removing the GPTPolicy first narrows its policy to nothing, then lets it go', async () => {
    const local = await incident();
    approve(local, 'Deny');
    const name = policyOf(local).metadata.name ?? '';
    local.cluster.remove(GP, 'GPTPolicy', undefined, 'deny-prod');
    // One run: the policy is narrowed and still exists, matching nothing.
    local.loop.runUntilSettled({ maxRuns: 1 });
    const narrowed = local.get<JsPolicy>(JSP, 'JsPolicy', name);
    expect(narrowed).toBeDefined();
    expect(matchesWebhook(narrowed as JsPolicy, podRequest('test'), clusterNamespaceLabels(local.cluster))).toBe(false);
    local.settle();
    expect(local.get(JSP, 'JsPolicy', name)).toBeUndefined();
    expect(local.get(GP, 'GPTPolicy', 'deny-prod')).toBeUndefined();
  });
});
