// Builders for the escape-and-hang corpus: full model answers around attacker code.
import type { KubeObject } from '../../../lib/k8s/types.ts';
import type { DraftTestCase, ModelAnswer, PolicyDraft, PolicyPlan } from '../../../lib/model/answer.ts';
import { requestJson } from '../../../skills/fixtures.ts';

export { requestJson };

export const POD_INTENT = "Deny pods with the label 'env=prod' in the 'test' namespace.";

export const pod = (namespace: string, labels: Record<string, string> = {}, annotations?: Record<string, string>, name = 'web'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels, ...(annotations ? { annotations } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

export const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

/** The sound test cases of the pod intent: a prod pod in test is denied, a dev pod allowed. */
export const podTests = (): DraftTestCase[] => [
  { name: 'prod pod in test is denied', request: requestJson(pod('test', { env: 'prod' })), expect: 'deny', detail: 'env=prod' },
  { name: 'dev pod in test is allowed', request: requestJson(pod('test', { env: 'dev' })), expect: 'allow', detail: '' },
];

/** The sound check of the pod intent, to put after (or around) attacker code so the tests pass. */
export const DENY_PROD = "if (request.namespace === 'test' && request.object?.metadata?.labels?.env === 'prod') { deny('pods labelled env=prod are not allowed in namespace test'); }";

export const podPlan = (extra: Partial<PolicyPlan> = {}): PolicyPlan => ({
  summary: 'Deny pods labelled env=prod in namespace test',
  resources: [{ group: '', version: 'v1', resource: 'pods' }],
  operations: ['CREATE', 'UPDATE'],
  namespaces: ['test'],
  denies: 'pods with label env=prod in namespace test',
  allows: 'every other pod',
  mutates: '',
  ...extra,
});

export const podPolicy = (javascript: string, extra: Partial<PolicyDraft> = {}): PolicyDraft => ({
  type: 'Validating',
  operations: ['CREATE', 'UPDATE'],
  resources: ['pods'],
  apiGroups: [''],
  apiVersions: ['v1'],
  scope: 'Namespaced',
  objectSelector: '',
  javascript,
  ...extra,
});

/** A Validating pod answer whose code is `javascript` (the sound tests kept, unless given). */
export function podAnswer(javascript: string, extra: { plan?: Partial<PolicyPlan>; policy?: Partial<PolicyDraft>; tests?: DraftTestCase[] } = {}): ModelAnswer {
  return { plan: podPlan(extra.plan), policy: podPolicy(javascript, extra.policy), tests: extra.tests ?? podTests() };
}

/** Objects every pod case starts with: the namespace test and a few pods the preview evaluates. */
export const podObjects = (): KubeObject[] => [namespace('test'), pod('test', { env: 'prod' }, undefined, 'old-prod'), pod('test', { env: 'dev' }, undefined, 'old-dev')];
