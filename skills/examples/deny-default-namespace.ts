import { deployment, pod, requestJson, type ExampleSource } from '../fixtures.ts';

export default {
  intent: 'Nobody may create pods or deployments in the default namespace',
  keywords: ['default', 'namespace'],
  answer: {
    plan: {
      summary: 'Deny creating pods and deployments in namespace default',
      resources: [{ group: '', version: 'v1', resource: 'pods' }, { group: 'apps', version: 'v1', resource: 'deployments' }],
      operations: ['CREATE'],
      namespaces: ['default'],
      denies: 'new pods and deployments in default',
      allows: 'every other namespace; updates and deletes',
      mutates: '',
    },
    policy: {
      type: 'Validating',
      operations: ['CREATE'],
      resources: ['pods', 'deployments'],
      apiGroups: ['', 'apps'],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: `if (namespaceOf(request) === 'default') {
  deny('do not create ' + request.kind.kind + 's in the default namespace; use a team namespace');
}`,
    },
    tests: [
      { name: 'pod in default is denied', request: requestJson(pod({ containers: [{ name: 'a', image: 'a:1' }] }, { namespace: 'default' })), expect: 'deny', detail: 'default namespace' },
      { name: 'deployment in default is denied', request: requestJson(deployment({ containers: [{ name: 'a', image: 'a:1' }] }, { namespace: 'default' })), expect: 'deny', detail: 'Deployments' },
      { name: 'pod in team-a is allowed', request: requestJson(pod({ containers: [{ name: 'a', image: 'a:1' }] }, { namespace: 'team-a' })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
