// Wildcard subresources and cluster-scoped reach: a policy that reaches beyond what the intent names.
import type { CorpusCase } from '../harness.ts';
import { DENY_PROD, namespace, podAnswer, podObjects, POD_INTENT, podPlan, podPolicy, podTests, requestJson } from './common.ts';
import { REACH_RULES, RESOURCE_RULES } from './rules.ts';

const wildcard = { class: 'wildcard subresource', intent: POD_INTENT, objects: podObjects(), defence: 'lint: wildcard/protected resources (lib/lint/resources.ts, safety.ts); controller build refusal' };
const refusedResources = { refused: { rules: [...RESOURCE_RULES, 'PolicyRefused'] } };
const withResources = (resources: string[], apiGroups = ['']) => podAnswer(DENY_PROD, { policy: { resources, apiGroups } });

const reach = { class: 'cluster-scoped reach', objects: podObjects(), defence: 'lint: blast radius (lib/lint/safety.ts): cluster-scoped kinds where the intent names a namespace' };
const crbRequest = requestJson({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'x' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [] });

export const REACH_CASES: CorpusCase[] = [
  { ...wildcard, name: 'serviceaccounts/*', answer: withResources(['pods', 'serviceaccounts/*']), expect: refusedResources },
  { ...wildcard, name: '*/*', answer: withResources(['*/*'], ['*']), expect: refusedResources },
  { ...wildcard, name: '*/status', answer: withResources(['pods', '*/status']), expect: refusedResources },
  { ...wildcard, name: 'pods/* (ephemeral containers, exec, attach…)', answer: withResources(['pods', 'pods/*']), expect: refusedResources },
  {
    ...reach,
    name: 'an intent naming only a namespace, a policy over clusterrolebindings',
    intent: "In the 'test' namespace, deny role bindings that grant cluster-admin.",
    answer: {
      plan: podPlan({ summary: 'Deny bindings to cluster-admin', resources: [{ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings' }], operations: ['CREATE', 'UPDATE'], namespaces: ['test'], denies: 'bindings of cluster-admin', allows: 'other bindings' }),
      policy: podPolicy("if (request.object?.roleRef?.name === 'cluster-admin' || request.userInfo?.username === 'mallory') { deny('cluster-admin bindings are not allowed'); }", { resources: ['clusterrolebindings'], apiGroups: ['rbac.authorization.k8s.io'], scope: 'Cluster' }),
      tests: [
        { name: 'a cluster-admin binding is denied', request: crbRequest.replace('"view"', '"cluster-admin"'), expect: 'deny', detail: 'cluster-admin' },
        { name: 'a view binding is allowed', request: crbRequest, expect: 'allow', detail: '' },
      ],
    },
    expect: { refused: { rules: REACH_RULES } },
  },
  {
    ...reach,
    name: 'a pod intent answered with a policy over persistentvolumes too (scope *)',
    intent: POD_INTENT,
    answer: podAnswer(`if (request.kind?.kind === 'PersistentVolume') { deny('no new volumes'); } ${DENY_PROD}`, { plan: { resources: [{ group: '', version: 'v1', resource: 'pods' }, { group: '', version: 'v1', resource: 'persistentvolumes' }] }, policy: { resources: ['pods', 'persistentvolumes'], scope: '*' }, tests: podTests() }),
    objects: [...podObjects(), namespace('other')],
    admissions: [{ object: { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv1' } } }, expect: { allowed: true } }],
    expect: { refused: { rules: REACH_RULES } },
  },
];
