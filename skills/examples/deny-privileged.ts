import { pod, requestJson, type ExampleSource } from '../fixtures.ts';

export default {
  intent: 'Deny privileged containers in pods',
  keywords: ['privileged', 'security'],
  answer: {
    plan: {
      summary: 'Deny pods with a privileged container, init container or ephemeral container',
      resources: [{ group: '', version: 'v1', resource: 'pods' }, { group: '', version: 'v1', resource: 'pods/ephemeralcontainers' }],
      operations: ['CREATE', 'UPDATE'],
      namespaces: [],
      denies: 'securityContext.privileged: true on any container',
      allows: 'pods without privileged containers',
      mutates: '',
    },
    policy: {
      type: 'Validating',
      operations: ['CREATE', 'UPDATE'],
      resources: ['pods', 'pods/ephemeralcontainers'],
      apiGroups: [''],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: `var privileged = privilegedContainers(request.object);
if (privileged.length > 0) deny('privileged containers are not allowed: ' + privileged.join(', '));`,
    },
    tests: [
      { name: 'privileged container is denied', request: requestJson(pod({ containers: [{ name: 'app', image: 'app:1', securityContext: { privileged: true } }] })), expect: 'deny', detail: 'app' },
      { name: 'privileged init container is denied', request: requestJson(pod({ initContainers: [{ name: 'setup', image: 'busybox:1', securityContext: { privileged: true } }], containers: [{ name: 'app', image: 'app:1' }] })), expect: 'deny', detail: 'setup' },
      { name: 'unprivileged pod is allowed', request: requestJson(pod({ containers: [{ name: 'app', image: 'app:1', securityContext: { privileged: false } }] })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
