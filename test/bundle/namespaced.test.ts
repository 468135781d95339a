// NamespacedGPTPolicy on the built bundle: a team's intent for its own namespace. Whatever the model
// answers, the policy sees that namespace alone, reads nothing outside it, is approved only by
// approvals in it, and goes with its owner although no ownerReference can point at a namespaced object.
import { afterEach, describe, expect, it } from 'vitest';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import type { ModelAnswer } from '../../lib/model/answer.ts';
import { startFakeModel, type FakeModel, type ScriptedReply } from '../../tools/fake-model/index.ts';
import { LocalJsPolicy } from '../../tools/local/local-jspolicy.ts';
import { requestJson } from '../fixtures/answers.ts';
import { appliedCode } from '../fixtures/bundle.ts';

const GP = 'gptpolicy.dev/v1alpha1';
const JSP = 'policy.jspolicy.com/v1beta1';
const TEAM = 'team-a';
const POLICY = `deny-prod.${TEAM}.ns-gptpolicy.dev`;
const NAMESPACES = [TEAM, 'team-b', 'default', 'kube-system'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
const ALICE = { username: 'alice', groups: ['team-a-admins'] };
const BOB = { username: 'bob', groups: ['team-b-admins'] };

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

const pod = (namespace: string, env: string, name = 'web'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { env } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

/**
 * The model reaches past the namespace every way it can: its plan names team-b, its scope is "*",
 * its code denies prod pods anywhere, and it reads a Secret-free ConfigMap of team-b into its message.
 */
function overreachingAnswer(overrides: Partial<ModelAnswer['policy']> = {}, namespace = TEAM): ModelAnswer {
  return {
    plan: {
      summary: 'Deny pods labelled env=prod',
      resources: [{ group: '', version: 'v1', resource: 'pods' }],
      operations: ['CREATE'],
      namespaces: ['team-b'],
      denies: 'pods labelled env=prod',
      allows: 'every other pod',
      mutates: '',
    },
    policy: {
      type: 'Validating',
      operations: ['CREATE'],
      resources: ['pods'],
      apiGroups: [''],
      apiVersions: ['v1'],
      scope: '*',
      objectSelector: '',
      javascript:
        "const leak = get('ConfigMap', 'v1', 'team-b/settings');\n" +
        "if (request.object?.metadata?.labels?.env === 'prod') { deny('env=prod is not allowed; team-b says ' + (leak ? leak.data.secret : 'nothing')); }",
      ...overrides,
    },
    tests: [
      { name: 'a prod pod is denied', request: requestJson(pod(namespace, 'prod')), expect: 'deny', detail: 'env=prod' },
      { name: 'a dev pod is allowed', request: requestJson(pod(namespace, 'dev')), expect: 'allow', detail: '' },
    ],
  };
}

const answered = (answer: ModelAnswer): ScriptedReply => ({ toolCall: { name: 'submit_policy', arguments: answer } });

async function setup(script: ScriptedReply[], description = 'Deny pods labelled env=prod', namespace = TEAM, extra: KubeObject[] = [], name = 'deny-prod') {
  model = await startFakeModel(script);
  const settings: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team-b' }, data: { secret: 'team-b-private-value' } };
  const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl }, objects: [...NAMESPACES, settings, pod('team-b', 'prod', 'existing-b'), pod(TEAM, 'prod', 'existing-a'), ...extra] });
  const created = local.apply({ apiVersion: GP, kind: 'NamespacedGPTPolicy', metadata: { name, namespace }, spec: { description } });
  local.settle();
  return { local, created, model };
}

const ngp = (local: LocalJsPolicy, namespace = TEAM) => local.get<GPTPolicy>(GP, 'NamespacedGPTPolicy', 'deny-prod', namespace) as GPTPolicy;
const ready = (local: LocalJsPolicy, namespace = TEAM) => ngp(local, namespace).status?.conditions?.find((c) => c.type === 'Ready');

function approve(local: LocalJsPolicy, namespace: string, user: typeof ALICE, specHash = ngp(local).status?.rollout?.specHash ?? '') {
  const approval = { apiVersion: GP, kind: 'NamespacedPolicyApproval', metadata: { name: 'deny-prod.deny', namespace }, spec: { gptPolicy: 'deny-prod', stage: 'Deny', specHash, approvedBy: 'mallory' } };
  const created = local.cluster.create(approval, user);
  local.settle();
  return created;
}

describe('a NamespacedGPTPolicy', () => {
  it('gets a policy bound to its namespace whatever the answer targets: selector, scope, labels, no ownerReference', async () => {
    const { local, created, model } = await setup([answered(overreachingAnswer())]);
    expect(await model.requests()).toHaveLength(1);
    expect(ready(local)).toMatchObject({ status: 'True', reason: 'PolicyApplied' });
    const status = ngp(local).status;
    expect(status).toMatchObject({ policyName: POLICY, plan: { namespaces: [TEAM] }, rollout: { stage: 'Dry' } });
    const policy = local.get<JsPolicy>(JSP, 'JsPolicy', POLICY) as JsPolicy;
    expect(policy.spec.scope).toBe('Namespaced');
    expect(policy.spec.namespaceSelector?.matchExpressions).toContainEqual({ key: 'kubernetes.io/metadata.name', operator: 'In', values: [TEAM] });
    expect(policy.metadata.ownerReferences).toBeUndefined();
    expect(policy.metadata.labels).toMatchObject({ 'gptpolicy.dev/owner': 'deny-prod', 'gptpolicy.dev/owner-namespace': TEAM, 'gptpolicy.dev/owner-uid': created.metadata.uid });
    expect(policy.metadata.annotations?.['gptpolicy.dev/readable-kinds']).toBeUndefined();
    // The preview read its own namespace only: team-b's prod pod is not among what it evaluated.
    expect(JSON.stringify(status?.impact)).toContain('existing-a');
    expect(JSON.stringify(status?.impact)).not.toContain('existing-b');
    // Its Events live in its own namespace, where a namespace admin can read them, and nowhere else.
    const events = local.cluster.list('v1', 'Event') as KubeObject[];
    expect(events.map((e) => e.metadata.namespace)).toEqual(expect.arrayContaining([TEAM]));
    expect(events.every((e) => e.metadata.namespace === TEAM && (e as { involvedObject?: { kind?: string } }).involvedObject?.kind === 'NamespacedGPTPolicy')).toBe(true);
  });

  it('never matches a request outside its namespace, reads nothing outside it, and is enforced only by an approval in its namespace', async () => {
    const { local } = await setup([answered(overreachingAnswer())]);
    // Another namespace's approver, for the same name and hash: no effect.
    expect(approve(local, 'team-b', BOB).ok).toBe(true);
    // Nor does a cluster PolicyApproval: it is about a GPTPolicy of that name.
    const specHash = ngp(local).status?.rollout?.specHash ?? '';
    expect(local.cluster.create({ apiVersion: GP, kind: 'PolicyApproval', metadata: { name: 'deny-prod.deny' }, spec: { gptPolicy: 'deny-prod', stage: 'Deny', specHash } }, BOB).ok).toBe(true);
    local.settle();
    expect(ngp(local).status?.rollout?.stage).toBe('Dry');
    expect(local.get<JsPolicy>(JSP, 'JsPolicy', POLICY)?.spec.violationPolicy).toBe('Dry');
    expect(local.cluster.create(pod(TEAM, 'prod', 'p1'), ALICE).ok).toBe(true);
    local.settle();
    // What it would have denied while Dry reaches its status (the violations log of its own name).
    expect(ngp(local).status?.violations).toMatchObject({ observed: 1 });
    expect(JSON.stringify(ngp(local).status?.violations)).toContain('p1');

    // Its own namespace's approver: enforced there, stamped with who approved.
    expect(approve(local, TEAM, ALICE).ok).toBe(true);
    expect(ngp(local).status?.rollout).toMatchObject({ stage: 'Deny', approval: 'deny-prod.deny', approvedBy: 'alice' });
    const denied = local.cluster.create(pod(TEAM, 'prod', 'p2'), ALICE);
    expect(denied).toMatchObject({ ok: false, reason: 'Forbidden' });
    // get() of team-b's ConfigMap answered nothing: its value never reaches the message.
    expect(JSON.stringify(denied)).toContain('team-b says nothing');
    expect(JSON.stringify(denied)).not.toContain('team-b-private-value');
    // The same prod pod anywhere else passes.
    expect(local.cluster.create(pod('team-b', 'prod', 'p3'), BOB).ok).toBe(true);
    expect(local.cluster.create(pod('default', 'prod', 'p4'), BOB).ok).toBe(true);
  });

  it('refuses a cluster-scoped kind with a clear finding: sent back while the description does not name it, final when it does', async () => {
    const volumes = overreachingAnswer({ resources: ['persistentvolumes'], scope: 'Cluster', javascript: "deny('no');" });
    const { local, model } = await setup([answered(volumes), answered(volumes), answered(volumes)]);
    expect(await model.requests()).toHaveLength(3);
    expect(ready(local)).toMatchObject({ status: 'False', reason: 'PolicyRefused' });
    expect(JSON.stringify(ngp(local).status?.attempts)).toContain('persistentvolumes is cluster-scoped');
    expect(local.get(JSP, 'JsPolicy', POLICY)).toBeUndefined();
    await model.close();

    const named = await setup([answered(volumes), answered(volumes)], 'Deny PersistentVolumes labelled env=prod');
    expect(await named.model.requests()).toHaveLength(1);
    expect(ready(named.local)).toMatchObject({ status: 'False', reason: 'PolicyRefused' });
    expect(ready(named.local)?.message).toContain('sees only namespaced requests in team-a');
  });

  it('refuses a cluster-scoped custom kind, known from discovery, as it refuses a built-in one', async () => {
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'clusterwidgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Cluster',
        names: { kind: 'ClusterWidget', plural: 'clusterwidgets', singular: 'clusterwidget', listKind: 'ClusterWidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    const widgets = overreachingAnswer({ resources: ['clusterwidgets'], apiGroups: ['example.com'], scope: 'Cluster', javascript: "deny('no');" });
    const { local, model } = await setup([answered(widgets), answered(widgets)], 'Deny cluster widgets labelled env=prod', TEAM, [crd]);
    expect(await model.requests()).toHaveLength(1);
    expect(ready(local)).toMatchObject({ status: 'False', reason: 'PolicyRefused' });
    expect(ready(local)?.message).toContain("policy.resources clusterwidgets is cluster-scoped: a NamespacedGPTPolicy's policy sees only namespaced requests in team-a");
    expect(local.get(JSP, 'JsPolicy', POLICY)).toBeUndefined();
  });

  it('a 253-character name: labels the API server accepts, found by its full name, removed with it', async () => {
    const name = `${'a'.repeat(62)}.${'b'.repeat(190)}`;
    const { local } = await setup([answered(overreachingAnswer())], 'Deny pods labelled env=prod', TEAM, [], name);
    const owner = local.get<GPTPolicy>(GP, 'NamespacedGPTPolicy', name, TEAM) as GPTPolicy;
    expect(owner.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'PolicyApplied' });
    const policy = local.get<JsPolicy>(JSP, 'JsPolicy', owner.status?.policyName ?? '') as JsPolicy;
    expect(policy.metadata.labels?.['gptpolicy.dev/owner']).toMatch(/^a{52}-[0-9a-f]{10}$/);
    expect(policy.metadata.annotations?.['gptpolicy.dev/owner-name']).toBe(name);
    // A resync of the policy does not take its living owner for gone.
    local.apply({ ...policy, metadata: { ...policy.metadata, annotations: { ...policy.metadata.annotations, touched: 'x' } } });
    local.settle();
    expect(local.get(JSP, 'JsPolicy', policy.metadata.name ?? '')).toBeDefined();
    expect(local.cluster.remove(GP, 'NamespacedGPTPolicy', TEAM, name).ok).toBe(true);
    local.settle();
    expect(local.get(JSP, 'JsPolicy', policy.metadata.name ?? '')).toBeUndefined();
    expect(local.get(JSP, 'JsPolicyBundle', policy.metadata.name ?? '')).toBeUndefined();
  });

  it('refuses, before any model call, a description naming another namespace and a protected namespace', async () => {
    const other = await setup([], 'Deny pods labelled env=prod in the team-b namespace');
    expect(await other.model.requests()).toHaveLength(0);
    expect(ready(other.local)).toMatchObject({ status: 'False', reason: 'PolicyRefused' });
    expect(ready(other.local)?.message).toContain('team-b');
    await model?.close();
    const system = await setup([], 'Deny pods labelled env=prod', 'kube-system');
    expect(await system.model.requests()).toHaveLength(0);
    expect(ready(system.local, 'kube-system')).toMatchObject({ status: 'False', reason: 'PolicyRefused' });
    expect(ready(system.local, 'kube-system')?.message).toContain('protected');
  });

  it('deleting it removes its policy and bundle, then itself', async () => {
    const { local, model } = await setup([answered(overreachingAnswer())]);
    expect(appliedCode(local, POLICY)).toContain('env');
    expect(local.cluster.remove(GP, 'NamespacedGPTPolicy', TEAM, 'deny-prod').ok).toBe(true);
    local.settle();
    expect(local.get(JSP, 'JsPolicy', POLICY)).toBeUndefined();
    expect(local.get(JSP, 'JsPolicyBundle', POLICY)).toBeUndefined();
    expect(local.get(GP, 'NamespacedGPTPolicy', 'deny-prod', TEAM)).toBeUndefined();
    expect(await model.requests()).toHaveLength(1);
  });

  it('a policy orphaned by removing the finalizer by hand is swept', async () => {
    const { local } = await setup([answered(overreachingAnswer())]);
    const current = ngp(local);
    local.apply({ ...current, metadata: { ...current.metadata, finalizers: [] } });
    expect(local.cluster.remove(GP, 'NamespacedGPTPolicy', TEAM, 'deny-prod').ok).toBe(true);
    local.settle();
    expect(local.get(GP, 'NamespacedGPTPolicy', 'deny-prod', TEAM)).toBeUndefined();
    expect(local.get(JSP, 'JsPolicy', POLICY)).toBeUndefined();
    expect(local.get(JSP, 'JsPolicyBundle', POLICY)).toBeUndefined();
  });

  it('beside a GPTPolicy and a NamespacedGPTPolicy of the same name elsewhere, every policy has its own name', async () => {
    const { local } = await setup([answered(overreachingAnswer()), answered(overreachingAnswer({}, 'team-b')), answered(overreachingAnswer({}, 'team-b'))]);
    local.apply({ apiVersion: GP, kind: 'NamespacedGPTPolicy', metadata: { name: 'deny-prod', namespace: 'team-b' }, spec: { description: 'Deny pods labelled env=prod' } });
    local.settle();
    local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'deny-prod' }, spec: { description: 'Deny pods labelled env=prod' } });
    local.settle();
    expect(ready(local, 'team-b')).toMatchObject({ status: 'True' });
    expect(ngp(local, 'team-b').status?.policyName).toBe('deny-prod.team-b.ns-gptpolicy.dev');
    expect(local.get<GPTPolicy>(GP, 'GPTPolicy', 'deny-prod')?.status).toMatchObject({ policyName: 'deny-prod.gptpolicy.dev' });
    const names = ['deny-prod.gptpolicy.dev', POLICY, 'deny-prod.team-b.ns-gptpolicy.dev'];
    expect(names.map((name) => local.get<JsPolicy>(JSP, 'JsPolicy', name)?.metadata.name)).toEqual(names);
  });
});
