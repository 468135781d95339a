import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, JsPolicy, JsPolicySpec, KubeObject } from '../../lib/k8s/types.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import { matchesLabelSelector } from '../../lib/policy/label-selector.ts';
import { matchesResource, matchesWebhook } from '../../lib/policy/webhook-match.ts';
import { clusterNamespaceLabels } from '../../tools/runtime/webhook/namespace-labels.ts';

const policy = (spec: JsPolicySpec): JsPolicy => ({
  apiVersion: 'policy.jspolicy.com/v1beta1',
  kind: 'JsPolicy',
  metadata: { name: 'p.example.com' },
  spec: { operations: ['CREATE'], resources: ['pods'], javascript: 'allow()', ...spec },
});

const pod = (labels?: Record<string, string>, namespace = 'team'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace, ...(labels ? { labels } : {}) },
});

function request(overrides: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return {
    uid: 'u',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    name: 'web',
    namespace: 'team',
    operation: 'CREATE',
    userInfo: { username: 'alice' },
    object: pod(),
    oldObject: null,
    options: null,
    ...overrides,
  };
}

const deployment = request({
  kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
  resource: { group: 'apps', version: 'v1', resource: 'deployments' },
  object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'team' } },
});
const namespaceCreate = (labels: Record<string, string>): AdmissionRequest =>
  request({
    kind: { group: '', version: 'v1', kind: 'Namespace' },
    resource: { group: '', version: 'v1', resource: 'namespaces' },
    name: 'prod',
    namespace: undefined,
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels } },
  });
const node = request({
  kind: { group: '', version: 'v1', kind: 'Node' },
  resource: { group: '', version: 'v1', resource: 'nodes' },
  name: 'n1',
  namespace: undefined,
  object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } },
});

const cluster = new InMemoryCluster({
  objects: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { env: 'prod', tier: 'web' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sandbox', labels: { env: 'dev' } } },
  ],
});

describe('matchesWebhook: operations, groups, versions, resources, scope', () => {
  it.each<[string, JsPolicySpec, AdmissionRequest, boolean]>([
    ['operation listed', { operations: ['CREATE'] }, request(), true],
    ['operation not listed', { operations: ['UPDATE'] }, request(), false],
    ['operation *', { operations: ['*'] }, request({ operation: 'DELETE', object: null, oldObject: pod() }), true],
    ['resource listed', { resources: ['pods'] }, request(), true],
    ['other resource', { resources: ['services'] }, request(), false],
    ['* = every main resource', { resources: ['*'] }, deployment, true],
    ['* does not cover subresources', { resources: ['*'] }, request({ subResource: 'status' }), false],
    ['pods does not cover pods/status', { resources: ['pods'] }, request({ subResource: 'status' }), false],
    ['pods/status', { resources: ['pods/status'] }, request({ subResource: 'status' }), true],
    ['pods/status not the main resource', { resources: ['pods/status'] }, request(), false],
    ['*/status', { resources: ['*/status'] }, request({ subResource: 'status' }), true],
    ['*/status not exec', { resources: ['*/status'] }, request({ subResource: 'exec' }), false],
    ['*/* covers everything', { resources: ['*/*'] }, request({ subResource: 'exec' }), true],
    ['*/* covers main resources', { resources: ['*/*'] }, request(), true],
    ['pods/* covers pods', { resources: ['pods/*'] }, request(), true],
    ['apiGroups default *', { resources: ['deployments'] }, deployment, true],
    ['apiGroups [""] excludes apps', { resources: ['deployments'], apiGroups: [''] }, deployment, false],
    ['apiGroups [apps]', { resources: ['deployments'], apiGroups: ['apps'] }, deployment, true],
    ['apiVersions [v1]', { apiVersions: ['v1'] }, request(), true],
    ['apiVersions [v2]', { apiVersions: ['v2'] }, request(), false],
    ['scope Namespaced: namespaced object', { scope: 'Namespaced' }, request(), true],
    ['scope Namespaced: Namespace object', { scope: 'Namespaced', resources: ['namespaces'] }, namespaceCreate({}), false],
    ['scope Cluster: Namespace object', { scope: 'Cluster', resources: ['namespaces'] }, namespaceCreate({}), true],
    ['scope Cluster: Node', { scope: 'Cluster', resources: ['nodes'] }, node, true],
    ['scope Cluster: Pod', { scope: 'Cluster' }, request(), false],
    ['scope *', { scope: '*', resources: ['nodes'] }, node, true],
    ['Controller policies have no webhook', { type: 'Controller' }, request(), false],
    [
      'webhook configurations are exempt',
      { resources: ['*'], operations: ['*'] },
      request({
        kind: { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration' },
        resource: { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingwebhookconfigurations' },
        namespace: undefined,
      }),
      false,
    ],
  ])('%s', (_name, spec, req, expected) => {
    expect(matchesWebhook(policy(spec), req, clusterNamespaceLabels(cluster))).toBe(expected);
  });
});

describe('matchesWebhook: namespaceSelector and objectSelector', () => {
  it.each<[string, JsPolicySpec, AdmissionRequest, boolean]>([
    ['namespace labels match', { namespaceSelector: { matchLabels: { env: 'prod' } } }, request(), true],
    ['namespace labels differ', { namespaceSelector: { matchLabels: { env: 'prod' } } }, request({ namespace: 'sandbox' }), false],
    ['In', { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'stage'] }] } }, request(), true],
    ['NotIn', { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } }, request(), false],
    ['NotIn with the key absent', { namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['a'] }] } }, request(), true],
    ['Exists', { namespaceSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } }, request(), true],
    ['DoesNotExist', { namespaceSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] } }, request(), false],
    ['matchLabels AND matchExpressions', { namespaceSelector: { matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] } }, request(), false],
    ['namespace name label (auto)', { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team' } } }, request(), true],
    ['cluster-scoped object other than a Namespace always matches', { resources: ['nodes'], namespaceSelector: { matchLabels: { env: 'nope' } } }, node, true],
    ['Namespace judged by its own labels', { resources: ['namespaces'], namespaceSelector: { matchLabels: { env: 'prod' } } }, namespaceCreate({ env: 'prod' }), true],
    ['Namespace judged by its own labels (no match)', { resources: ['namespaces'], namespaceSelector: { matchLabels: { env: 'prod' } } }, namespaceCreate({ env: 'dev' }), false],
    [
      'Namespace DELETE judged by oldObject',
      { operations: ['DELETE'], resources: ['namespaces'], namespaceSelector: { matchLabels: { env: 'prod' } } },
      { ...namespaceCreate({}), operation: 'DELETE', object: null, oldObject: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { env: 'prod' } } } },
      true,
    ],
    ['objectSelector on object', { objectSelector: { matchLabels: { app: 'web' } } }, request({ object: pod({ app: 'web' }) }), true],
    ['objectSelector no match', { objectSelector: { matchLabels: { app: 'web' } } }, request({ object: pod({ app: 'db' }) }), false],
    [
      'objectSelector: oldObject matching is enough',
      { operations: ['UPDATE'], objectSelector: { matchLabels: { protected: 'true' } } },
      request({ operation: 'UPDATE', object: pod({}), oldObject: pod({ protected: 'true' }) }),
      true,
    ],
    [
      'objectSelector on DELETE (object null)',
      { operations: ['DELETE'], objectSelector: { matchLabels: { protected: 'true' } } },
      request({ operation: 'DELETE', object: null, oldObject: pod({ protected: 'true' }) }),
      true,
    ],
    ['objectSelector DoesNotExist on unlabeled object', { objectSelector: { matchExpressions: [{ key: 'skip', operator: 'DoesNotExist' }] } }, request(), true],
  ])('%s', (_name, spec, req, expected) => {
    expect(matchesWebhook(policy(spec), req, clusterNamespaceLabels(cluster))).toBe(expected);
  });

  it('without a cluster, a Namespace carries only its name label', () => {
    expect(matchesWebhook(policy({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team' } } }), request())).toBe(true);
    expect(matchesWebhook(policy({ namespaceSelector: { matchLabels: { env: 'prod' } } }), request())).toBe(false);
  });
});

describe('selector and resource helpers', () => {
  it('empty selectors select everything', () => {
    expect(matchesLabelSelector({}, undefined)).toBe(true);
    expect(matchesLabelSelector(undefined, { a: 'b' })).toBe(true);
  });
  it('In needs the key present', () => {
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] }, {})).toBe(false);
  });
  it('splits resource/subresource like the API server', () => {
    expect(matchesResource(['deployments/scale'], 'deployments', 'scale')).toBe(true);
    expect(matchesResource(['deployments/scale'], 'replicasets', 'scale')).toBe(false);
  });
});
