// Model answers and cluster objects the benchmark scripts the fake model with.
import type { KubeObject } from '../lib/k8s/types.ts';
import type { ModelAnswer } from '../lib/model/answer.ts';
import type { ScriptedReply } from '../tools/fake-model/index.ts';

export const GP_API_VERSION = 'gptpolicy.dev/v1alpha1';
export const JSP_API_VERSION = 'policy.jspolicy.com/v1beta1';

export const answered = (answer: ModelAnswer): ScriptedReply => ({ toolCall: { name: 'submit_policy', arguments: answer } });

export function gptPolicy(name: string, description: string, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: GP_API_VERSION, kind: 'GPTPolicy', metadata: { name, ...(annotations ? { annotations } : {}) }, spec: { description } };
}

export function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

// --- The prototype's own intent: IAMPolicies that reference a Project (section 4) ---

export const IAM_INTENT = 'Deny any IAMPolicy config connector resources that reference a Project';

/** Config Connector's IAMPolicy CRD, as much of it as discovery needs (served by iam.cnrm.cloud.google.com). */
export function iamPolicyCrd(): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'iampolicies.iam.cnrm.cloud.google.com' },
    spec: {
      group: 'iam.cnrm.cloud.google.com',
      scope: 'Namespaced',
      names: { kind: 'IAMPolicy', listKind: 'IAMPolicyList', plural: 'iampolicies', singular: 'iampolicy', categories: ['gcp'] },
      versions: [
        {
          name: 'v1beta1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}

const iamRequest = (refKind: string): string =>
  JSON.stringify({
    uid: 'case',
    operation: 'CREATE',
    kind: { group: 'iam.cnrm.cloud.google.com', version: 'v1beta1', kind: 'IAMPolicy' },
    resource: { group: 'iam.cnrm.cloud.google.com', version: 'v1beta1', resource: 'iampolicies' },
    namespace: 'config',
    name: 'policy',
    userInfo: { username: 'alice' },
    object: {
      apiVersion: 'iam.cnrm.cloud.google.com/v1beta1',
      kind: 'IAMPolicy',
      metadata: { name: 'policy', namespace: 'config' },
      spec: { resourceRef: { kind: refKind, name: 'target' }, bindings: [{ role: 'roles/viewer', members: ['user:bob@example.com'] }] },
    },
    oldObject: null,
  });

/** Right first time: the group that serves iampolicies. */
export function iamRightAnswer(): ModelAnswer {
  return {
    plan: {
      summary: 'Deny IAMPolicies whose resourceRef is a Project',
      resources: [{ group: 'iam.cnrm.cloud.google.com', version: 'v1beta1', resource: 'iampolicies' }],
      operations: ['CREATE', 'UPDATE'],
      namespaces: [],
      denies: 'IAMPolicies with spec.resourceRef.kind Project',
      allows: 'IAMPolicies for any other resource',
      mutates: '',
    },
    policy: {
      type: 'Validating',
      operations: ['CREATE', 'UPDATE'],
      resources: ['iampolicies'],
      apiGroups: ['iam.cnrm.cloud.google.com'],
      apiVersions: ['v1beta1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: "if (request.object?.spec?.resourceRef?.kind === 'Project') { deny('IAMPolicy cannot target a Project'); }",
    },
    tests: [
      { name: 'a Project reference is denied', request: iamRequest('Project'), expect: 'deny', detail: 'cannot target a Project' },
      { name: 'a StorageBucket reference is allowed', request: iamRequest('StorageBucket'), expect: 'allow', detail: '' },
    ],
  };
}

/** The prototype's flaw from the post: a group that does not serve iampolicies (the linter's api-group-mismatch). */
export function iamWrongAnswer(): ModelAnswer {
  const answer = iamRightAnswer();
  return { ...answer, policy: { ...answer.policy, apiGroups: ['configconnector.cnrm.cloud.google.com'] } };
}

// --- jsPolicy's example deny-service-type-nodeport, as a model would answer it (section 3) ---

export const NODEPORT_INTENT = 'Deny Services of type NodePort';

export function nodePortAnswer(javascript: string): ModelAnswer {
  const svc = (type: string): string =>
    JSON.stringify({
      uid: 'case',
      operation: 'CREATE',
      kind: { group: '', version: 'v1', kind: 'Service' },
      resource: { group: '', version: 'v1', resource: 'services' },
      namespace: 'team-a',
      name: 'web',
      userInfo: { username: 'alice' },
      object: serviceObject('web', 'team-a', type),
      oldObject: null,
    });
  return {
    plan: {
      summary: 'Deny Services of type NodePort',
      resources: [{ group: '', version: 'v1', resource: 'services' }],
      operations: ['CREATE', 'UPDATE'],
      namespaces: [],
      denies: 'Services with spec.type NodePort',
      allows: 'Services of every other type',
      mutates: '',
    },
    policy: {
      type: 'Validating',
      operations: ['CREATE', 'UPDATE'],
      resources: ['services'],
      apiGroups: [''],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript,
    },
    tests: [
      { name: 'a NodePort Service is denied', request: svc('NodePort'), expect: 'deny', detail: 'is not allowed' },
      { name: 'a ClusterIP Service is allowed', request: svc('ClusterIP'), expect: 'allow', detail: '' },
    ],
  };
}

export function serviceObject(name: string, ns: string, type: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: { type, selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
  };
}
