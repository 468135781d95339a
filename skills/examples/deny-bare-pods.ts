import { pod, requestJson, type ExampleSource } from '../fixtures.ts';

const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d4', uid: 'u1', controller: true };
export default {
  intent: 'In the prod namespace, pods must be managed by a controller (no bare pods)',
  keywords: ['bare', 'naked', 'owner', 'controller', 'standalone'],
  answer: {
    plan: {
      summary: 'Deny creating pods in namespace prod that have no controller ownerReference',
      resources: [{ group: '', version: 'v1', resource: 'pods' }],
      operations: ['CREATE'],
      namespaces: ['prod'],
      denies: 'pods in prod without a controller owner',
      allows: 'pods created by Deployments/ReplicaSets/Jobs/…; pods in other namespaces',
      mutates: '',
    },
    policy: {
      type: 'Validating',
      operations: ['CREATE'],
      resources: ['pods'],
      apiGroups: [''],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: `if (isNamespaceIn(request, ['prod']) && !isControlledBy(request.object, '')) {
  deny('pods in prod must be created by a controller such as a Deployment, not directly');
}`,
    },
    tests: [
      { name: 'bare pod in prod is denied', request: requestJson(pod({ containers: [{ name: 'a', image: 'a:1' }] }, { namespace: 'prod' })), expect: 'deny', detail: 'controller' },
      { name: 'replicaset pod in prod is allowed', request: requestJson(pod({ containers: [{ name: 'a', image: 'a:1' }] }, { namespace: 'prod', ownerReferences: [owner] })), expect: 'allow', detail: '' },
      { name: 'bare pod in dev is allowed', request: requestJson(pod({ containers: [{ name: 'a', image: 'a:1' }] }, { namespace: 'dev' })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
