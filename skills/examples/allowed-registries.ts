import { deployment, pod, requestJson, type ExampleSource } from '../fixtures.ts';

export default {
  intent: 'In the payments namespace, only allow container images from registry.example.com and gcr.io/acme',
  keywords: ['trusted', 'registry', 'repository', 'allowlist'],
  answer: {
    plan: {
      summary: 'Deny pods and deployments in namespace payments with an image outside the registry registry.example.com and the repository prefix gcr.io/acme/',
      resources: [{ group: '', version: 'v1', resource: 'pods' }, { group: 'apps', version: 'v1', resource: 'deployments' }],
      operations: ['CREATE', 'UPDATE'],
      namespaces: ['payments'],
      denies: 'images from any other registry, docker.io included',
      allows: 'images from registry.example.com or gcr.io/acme/...; every other namespace',
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
      javascript: `var ALLOWED = ['registry.example.com', 'gcr.io/acme/'];
if (namespaceOf(request) === 'payments') {
  var bad = containerImages(request.object).filter(function (image) { return !imageFromAllowedRegistry(image, ALLOWED); });
  if (bad.length > 0) deny('images must come from ' + ALLOWED.join(' or ') + ': ' + bad.join(', '));
}`,
    },
    tests: [
      { name: 'docker hub image in payments is denied', request: requestJson(pod({ containers: [{ name: 'web', image: 'nginx:1.25' }] }, { namespace: 'payments' })), expect: 'deny', detail: 'nginx:1.25' },
      { name: 'look-alike repository is denied', request: requestJson(deployment({ containers: [{ name: 'api', image: 'gcr.io/acme-evil/api:1' }] }, { namespace: 'payments' })), expect: 'deny', detail: 'acme-evil' },
      { name: 'allowed registries pass', request: requestJson(deployment({ containers: [{ name: 'api', image: 'gcr.io/acme/api:1' }, { name: 'proxy', image: 'registry.example.com/envoy:1.29' }] }, { namespace: 'payments' })), expect: 'allow', detail: '' },
      { name: 'other namespaces are not checked', request: requestJson(pod({ containers: [{ name: 'web', image: 'nginx:1.25' }] }, { namespace: 'dev' })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
