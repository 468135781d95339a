import { deployment, pod, requestJson, type ExampleSource } from '../fixtures.ts';

export default {
  intent: 'Pods and Deployments must not run containers as root',
  keywords: ['root', 'runAsNonRoot', 'runAsUser', 'security'],
  answer: {
    plan: {
      summary: 'Deny pods and deployments with a container that may run as root (no runAsNonRoot: true and no non-zero runAsUser, or runAsUser 0)',
      resources: [{ group: '', version: 'v1', resource: 'pods' }, { group: 'apps', version: 'v1', resource: 'deployments' }],
      operations: ['CREATE', 'UPDATE'],
      namespaces: [],
      denies: 'containers that may run as root',
      allows: 'containers with runAsNonRoot: true or a non-zero runAsUser, on the container or the pod',
      mutates: '',
    },
    policy: {
      type: 'Validating',
      operations: ['CREATE', 'UPDATE'],
      resources: ['pods', 'deployments'],
      apiGroups: ['', 'apps'],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: `var root = containersMayRunAsRoot(request.object);
if (root.length > 0) deny('set securityContext.runAsNonRoot: true (or a non-zero runAsUser) for: ' + root.join(', '));`,
    },
    tests: [
      { name: 'no securityContext is denied', request: requestJson(pod({ containers: [{ name: 'app', image: 'a:1' }] })), expect: 'deny', detail: 'app' },
      { name: 'runAsUser 0 is denied even with pod-level runAsNonRoot', request: requestJson(deployment({ securityContext: { runAsNonRoot: true }, containers: [{ name: 'app', image: 'a:1', securityContext: { runAsUser: 0 } }] })), expect: 'deny', detail: 'app' },
      { name: 'pod-level runAsNonRoot is allowed', request: requestJson(deployment({ securityContext: { runAsNonRoot: true }, containers: [{ name: 'app', image: 'a:1' }] })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
