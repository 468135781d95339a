// The bound of a NamespacedGPTPolicy, as pure decisions: its policy's name, what the build makes of
// any answer, whose policy it is, which approvals count, and that its CRDs are GPTPolicy's and
// PolicyApproval's in every field but scope and names.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { namespaceBound, NAMESPACED_INTENT, CLUSTER_INTENT } from '../../lib/gptpolicy/kinds.ts';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import { readApprovals } from '../../lib/controller/apply.ts';
import { generatedPolicyName, isGeneratedPolicyName, namespacedPolicyName, policyNameFor } from '../../lib/controller/naming.ts';
import { isOwnedBy } from '../../lib/controller/ownership.ts';
import { narrowingStep, onDeleting, sweepIfOrphaned } from '../../lib/controller/removal.ts';
import type { Platform } from '../../lib/platform/platform.ts';
import { buildJsPolicy } from '../../lib/policy/build-jspolicy.ts';
import { readScopeOf } from '../../lib/policy/confine.ts';
import { boundRefusal, clusterScopedEntries } from '../../lib/policy/namespace-bound.ts';
import type { PolicyApproval } from '../../lib/rollout/types.ts';
import { denyProdAnswer, prototypeAnswer } from '../fixtures/answers.ts';

const GUARDRAILS = { protectedNamespaces: ['jspolicy', 'kube-node-lease', 'kube-public', 'kube-system'] };
const ns = (description: string, namespace = 'team-a', uid = 'uid-a'): GPTPolicy => ({ apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'NamespacedGPTPolicy', metadata: { name: 'p', namespace, uid }, spec: { description } });
const cluster = (name: string): GPTPolicy => ({ apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'GPTPolicy', metadata: { name, uid: 'uid-c' }, spec: { description: 'x' } });
const ctx = (namespace: string) => ({ name: namespacedPolicyName(namespace, 'p'), intentHash: 'h', guardrails: GUARDRAILS, namespace });

describe('names of generated policies', () => {
  it('never collide across namespaces, nor with any GPTPolicy’s', () => {
    const names = [namespacedPolicyName('a', 'b.c'), namespacedPolicyName('c', 'b.a'), namespacedPolicyName('b', 'c'), generatedPolicyName('c.b'), generatedPolicyName('c.b.ns')];
    expect(new Set(names).size).toBe(names.length);
    // Every name ending in ".gptpolicy.dev" is some GPTPolicy's: a namespaced one never does.
    expect(namespacedPolicyName('team-a', 'p')).toBe('p.team-a.ns-gptpolicy.dev');
    expect(namespacedPolicyName('team-a', 'p').endsWith('.gptpolicy.dev')).toBe(false);
    expect(policyNameFor(ns('x'))).toBe('p.team-a.ns-gptpolicy.dev');
    expect(policyNameFor(cluster('p'))).toBe('p.gptpolicy.dev');
    expect([namespacedPolicyName('a', 'p'), generatedPolicyName('p')].every(isGeneratedPolicyName)).toBe(true);
    expect(isGeneratedPolicyName('p.example.com')).toBe(false);
  });

  it('shorten long names with a hash of namespace and name, within jsPolicy’s limit', () => {
    const long = 'x'.repeat(240);
    const a = namespacedPolicyName('team-a', long);
    const b = namespacedPolicyName('team-b', long);
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(247);
    expect(a.endsWith('.ns-gptpolicy.dev')).toBe(true);
  });
});

describe('buildJsPolicy bound to a namespace', () => {
  it('sees that namespace alone, scope Namespaced, whatever the plan and scope the model chose', () => {
    const answer = { ...prototypeAnswer(), plan: { ...prototypeAnswer().plan, namespaces: ['team-b', 'default'] }, policy: { ...prototypeAnswer().policy, scope: '*' as const } };
    const built = buildJsPolicy(ns('Deny pods labelled env=prod'), answer, ctx('team-a'));
    if (!built.ok) throw new Error(built.message);
    expect(built.namespaces).toEqual(['team-a']);
    expect(built.policy.spec.scope).toBe('Namespaced');
    expect(built.policy.spec.namespaceSelector?.matchExpressions).toContainEqual({ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team-a'] });
    // get/list read what the selector sees: that namespace.
    expect(readScopeOf(built.policy.spec.namespaceSelector, []).namespaces).toEqual(['team-a']);
  });

  it('is found by labels, never by an ownerReference, and reads no cluster-scoped kind even when the description names one', () => {
    const built = buildJsPolicy(ns('Deny pods scheduled on nodes labelled gpu=true'), denyProdAnswer(), ctx('team-a'));
    if (!built.ok) throw new Error(built.message);
    expect(built.policy.metadata.ownerReferences).toBeUndefined();
    expect(built.policy.metadata.labels).toMatchObject({ 'gptpolicy.dev/owner': 'p', 'gptpolicy.dev/owner-namespace': 'team-a', 'gptpolicy.dev/owner-uid': 'uid-a' });
    expect(built.policy.metadata.annotations?.['gptpolicy.dev/readable-kinds']).toBeUndefined();
  });

  it('refuses for good a description naming another namespace, or a protected one', () => {
    expect(buildJsPolicy(ns('Deny pods labelled env=prod in the team-b namespace'), denyProdAnswer(), ctx('team-a'))).toMatchObject({ ok: false, reason: 'PolicyRefused', final: true });
    expect(buildJsPolicy(ns('Deny pods', 'kube-system'), denyProdAnswer(), ctx('kube-system'))).toMatchObject({ ok: false, reason: 'PolicyRefused', final: true });
    // Naming its own namespace is fine.
    expect(buildJsPolicy(ns('Deny pods labelled env=prod in the team-a namespace'), denyProdAnswer(), ctx('team-a')).ok).toBe(true);
  });

  it('refuses cluster-scoped kinds: for the model to fix, or for good when the description names them', () => {
    const volumes = { ...denyProdAnswer(), policy: { ...denyProdAnswer().policy, resources: ['persistentvolumes', 'pods'] } };
    expect(buildJsPolicy(ns('Deny pods labelled env=prod'), volumes, ctx('team-a'))).toMatchObject({ ok: false, reason: 'PolicyRefused', final: false });
    expect(buildJsPolicy(ns('Deny persistent volumes labelled env=prod'), volumes, ctx('team-a'))).toMatchObject({ ok: false, final: true });
    expect(clusterScopedEntries({ resources: ['pods', 'namespaces', 'clusterroles', 'nodes/status'], apiGroups: ['*'] })).toEqual(['namespaces', 'clusterroles', 'nodes/status']);
    // A CRD's namespaced "nodes" in its own group is not the core Node.
    expect(clusterScopedEntries({ resources: ['nodes'], apiGroups: ['example.com'] })).toEqual([]);
  });

  it('refuses cluster-scoped custom kinds the cluster serves (its discovery) as it refuses built-in ones', () => {
    const served = [
      { group: 'example.com', version: 'v1', kind: 'ClusterWidget', resource: 'clusterwidgets', namespaced: false, statusSubresource: false },
      { group: 'example.com', version: 'v1', kind: 'Widget', resource: 'widgets', namespaced: true, statusSubresource: false },
    ];
    const answer = (resources: string[]) => ({ ...denyProdAnswer(), policy: { ...denyProdAnswer().policy, resources, apiGroups: ['example.com'] } });
    const withDiscovery = { ...ctx('team-a'), served: () => served };
    expect(buildJsPolicy(ns('Deny widgets labelled env=prod'), answer(['clusterwidgets']), withDiscovery)).toEqual({
      ok: false,
      reason: 'PolicyRefused',
      message: "policy.resources clusterwidgets is cluster-scoped: a NamespacedGPTPolicy's policy sees only namespaced requests in team-a; name namespaced resources only",
      final: false,
    });
    // The description names the kind: no answer can be right.
    expect(buildJsPolicy(ns('Deny cluster widgets labelled env=prod'), answer(['clusterwidgets']), withDiscovery)).toMatchObject({ ok: false, reason: 'PolicyRefused', final: true });
    expect(buildJsPolicy(ns('Deny widgets labelled env=prod'), answer(['widgets']), withDiscovery).ok).toBe(true);
    // Without discovery only the built-in table is known.
    expect(buildJsPolicy(ns('Deny widgets labelled env=prod'), answer(['clusterwidgets']), ctx('team-a')).ok).toBe(true);
  });

  it('a GPTPolicy is unchanged: owned by reference, scope as answered', () => {
    const built = buildJsPolicy(cluster('p'), { ...denyProdAnswer(), policy: { ...denyProdAnswer().policy, scope: '*' } }, { name: 'p.gptpolicy.dev', intentHash: 'h', guardrails: GUARDRAILS });
    if (!built.ok) throw new Error(built.message);
    expect(built.policy.spec.scope).toBe('*');
    expect(built.policy.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'GPTPolicy', uid: 'uid-c' })]);
    expect(built.policy.metadata.labels?.['gptpolicy.dev/owner-namespace']).toBeUndefined();
  });
});

describe('boundRefusal', () => {
  it.each([
    ['team-a', 'Deny pods labelled env=prod', undefined],
    ['kube-system', 'Deny pods', 'protected'],
    ['jspolicy', 'Deny pods', 'protected'],
    ['', 'Deny pods', 'without a namespace'],
    ['team-a', 'Deny pods in namespaces team-a and team-b', 'team-b'],
  ])('%j, %j', (namespace, description, expected) => {
    const refusal = boundRefusal(namespace, description, GUARDRAILS);
    if (expected === undefined) expect(refusal).toBeUndefined();
    else expect(refusal).toContain(expected);
  });
});

describe('ownership of a namespaced intent’s policy', () => {
  const policy = (labels: Record<string, string>, ownerReferences?: JsPolicy['metadata']['ownerReferences']): JsPolicy => ({ apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicy', metadata: { name: 'x', labels, ...(ownerReferences ? { ownerReferences } : {}) }, spec: {} });
  const labels = { 'gptpolicy.dev/owner': 'p', 'gptpolicy.dev/owner-namespace': 'team-a', 'gptpolicy.dev/owner-uid': 'uid-a' };

  it('is by uid and namespace label: a namesake elsewhere or a recreated owner does not own it', () => {
    expect(isOwnedBy(policy(labels), ns('x'))).toBe(true);
    expect(isOwnedBy(policy(labels), ns('x', 'team-b'))).toBe(false);
    expect(isOwnedBy(policy(labels), ns('x', 'team-a', 'uid-new'))).toBe(false);
    expect(isOwnedBy(policy({ ...labels, 'gptpolicy.dev/owner-uid': '' }), ns('x', 'team-a', ''))).toBe(false);
    // An ownerReference with its uid does not stand in for the labels.
    expect(isOwnedBy(policy({}, [{ apiVersion: 'v', kind: 'NamespacedGPTPolicy', name: 'p', uid: 'uid-a', controller: true }]), ns('x'))).toBe(false);
  });

  it('removal narrows it first, as for a GPTPolicy', () => {
    expect(narrowingStep(policy(labels), 0).kind).toBe('narrow');
  });
});

describe('approvals of a namespaced intent', () => {
  const approval = (kind: PolicyApproval['kind'], namespace?: string): PolicyApproval => ({ apiVersion: 'gptpolicy.dev/v1alpha1', kind, metadata: { name: 'p.deny', ...(namespace ? { namespace } : {}) }, spec: { gptPolicy: 'p', stage: 'Deny', specHash: 'h' } });
  const all = [approval('PolicyApproval'), approval('NamespacedPolicyApproval', 'team-a'), approval('NamespacedPolicyApproval', 'team-b')];
  const platform = {
    listUncached: (kind: string, _v: string, namespace?: string) => all.filter((a) => a.kind === kind && (namespace === undefined || a.metadata.namespace === namespace)),
  } as unknown as Platform;

  it('are the NamespacedPolicyApprovals of its own namespace alone', () => {
    expect(readApprovals(platform, NAMESPACED_INTENT, 'team-a').map((a) => a.metadata.namespace)).toEqual(['team-a']);
    expect(readApprovals(platform, NAMESPACED_INTENT, '')).toEqual([]);
    expect(readApprovals(platform, CLUSTER_INTENT, undefined).map((a) => a.kind)).toEqual(['PolicyApproval']);
    expect(namespaceBound(ns('x'))).toBe('team-a');
    expect(namespaceBound(cluster('p'))).toBeUndefined();
  });
});

describe('the CRDs', () => {
  const crd = (file: string) => parse(readFileSync(new URL(`../../k8s/${file}`, import.meta.url), 'utf8'));
  // Descriptions say which kind they are about; every field, type and bound must be the same.
  const shape = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(shape) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'description').map(([k, v]) => [k, shape(v)])) : value;

  it.each([
    ['gptpolicy-crd.yaml', 'namespacedgptpolicy-crd.yaml'],
    ['policyapproval-crd.yaml', 'namespacedpolicyapproval-crd.yaml'],
  ])('%s and %s differ only in scope, names and descriptions', (clusterFile, namespacedFile) => {
    const a = crd(clusterFile);
    const b = crd(namespacedFile);
    expect(a.spec.scope).toBe('Cluster');
    expect(b.spec.scope).toBe('Namespaced');
    expect(shape(b.spec.versions)).toEqual(shape(a.spec.versions));
    expect(b.spec.group).toBe(a.spec.group);
  });
});

describe('removal of a namespaced intent’s policy (no garbage collector follows it)', () => {
  const NAME = 'p.team-a.ns-gptpolicy.dev';
  const labels = { 'gptpolicy.dev/owner': 'p', 'gptpolicy.dev/owner-namespace': 'team-a', 'gptpolicy.dev/owner-uid': 'uid-a' };
  const synced = (): JsPolicy => ({
    apiVersion: 'policy.jspolicy.com/v1beta1',
    kind: 'JsPolicy',
    metadata: { name: NAME, generation: 2, labels, annotations: { 'gptpolicy.dev/narrowed-at': '2026-01-01T00:00:00Z' } },
    spec: {},
    status: { observedGeneration: 2, conditions: [{ type: 'WebhookReady', status: 'True' }] },
  }) as JsPolicy;
  const bundle = () => ({ apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicyBundle', metadata: { name: NAME, labels }, spec: { bundle: '' } });
  const deleting = (): GPTPolicy => ({ ...ns('x'), metadata: { ...ns('x').metadata, deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['gptpolicy.dev/narrow-policy-first'] } });

  /** A cluster of a few objects; remove() fails for the kinds in `failing`; requeue() ends the run as jsPolicy's does. */
  function fake(objects: KubeObject[], failing: string[] = []) {
    const store = new Map(objects.map((o) => [`${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`, o]));
    const calls: string[] = [];
    const platform = {
      now: () => Date.parse('2026-01-01T00:01:00Z'),
      getUncached: (kind: string, _v: string, key: string) => store.get(`${kind}/${key}`),
      listUncached: (kind: string) => [...store.values()].filter((o) => o.kind === kind),
      update: (o: { kind: string; metadata: { name?: string } }) => (calls.push(`update ${o.kind}`), { ok: true, object: o }),
      remove: (o: { kind: string; metadata: { name?: string; namespace?: string } }) => {
        calls.push(`remove ${o.kind}`);
        if (failing.includes(o.kind)) return { ok: false, reason: 'InternalError', message: 'boom' };
        store.delete(`${o.kind}/${o.metadata.name}`);
        return { ok: true, object: o };
      },
      log: () => undefined,
      requeue: (why: string) => {
        calls.push('requeue');
        throw new Error(`requeue: ${why}`);
      },
    } as unknown as Platform;
    return { platform, calls, store };
  }

  it('deletes the narrowed, synced policy, then its bundle, then releases the finalizer', () => {
    const { platform, calls, store } = fake([synced(), bundle()]);
    onDeleting(platform, deleting());
    expect(calls).toEqual(['remove JsPolicy', 'remove JsPolicyBundle', 'update NamespacedGPTPolicy']);
    expect(store.size).toBe(0);
  });

  it('a bundle left by an earlier run is deleted too; a failed delete keeps the finalizer', () => {
    const left = fake([bundle()]);
    onDeleting(left.platform, deleting());
    expect(left.calls).toEqual(['remove JsPolicyBundle', 'update NamespacedGPTPolicy']);
    const failing = fake([synced(), bundle()], ['JsPolicy']);
    expect(() => onDeleting(failing.platform, deleting())).toThrow(/requeue/);
    expect(failing.calls).toEqual(['remove JsPolicy', 'requeue']);
  });

  it('never deletes a policy or bundle of another owner of that name', () => {
    const other = { ...labels, 'gptpolicy.dev/owner-uid': 'uid-other' };
    const { platform, calls } = fake([{ ...synced(), metadata: { ...synced().metadata, labels: other } }, { ...bundle(), metadata: { name: NAME, labels: other } }]);
    onDeleting(platform, deleting());
    expect(calls).toEqual(['update NamespacedGPTPolicy']);
  });

  it('the sweep leaves a policy whose owner lives, and removes one whose owner is gone or another', () => {
    const owner = { ...ns('x'), metadata: { ...ns('x').metadata, name: 'p' } };
    const alive = fake([synced(), bundle(), owner]);
    expect(sweepIfOrphaned(alive.platform, synced())).toBe(false);
    expect(alive.calls).toEqual([]);
    const recreated = fake([synced(), bundle(), { ...owner, metadata: { ...owner.metadata, uid: 'uid-new' } }]);
    expect(sweepIfOrphaned(recreated.platform, synced())).toBe(true);
    expect(recreated.calls).toEqual(['remove JsPolicy', 'remove JsPolicyBundle']);
    // Not yet narrowed: narrowed first, and nothing deleted in this run.
    const fresh = { ...synced(), metadata: { ...synced().metadata, annotations: {} } };
    const gone = fake([fresh, bundle()]);
    expect(() => sweepIfOrphaned(gone.platform, fresh)).toThrow(/requeue/);
    expect(gone.calls).toEqual(['update JsPolicy', 'requeue']);
  });
});
