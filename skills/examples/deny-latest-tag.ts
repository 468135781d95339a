import { deployment, pod, requestJson, type ExampleSource } from '../fixtures.ts';

export default {
  intent: 'Deny pods and deployments whose containers use the latest tag or no tag at all',
  keywords: ['image', 'tag', 'latest', 'pin'],
  answer: {
    plan: {
      summary: 'Deny pods and deployments with any container (init and ephemeral included) whose image floats on latest',
      resources: [{ group: '', version: 'v1', resource: 'pods' }, { group: 'apps', version: 'v1', resource: 'deployments' }],
      operations: ['CREATE', 'UPDATE'],
      namespaces: [],
      denies: 'containers whose image is tagged latest or untagged, unless pinned by digest',
      allows: 'images with a pinned tag or a digest',
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
      javascript: `var floating = allContainers(request.object).filter(function (c) { return usesLatestTag(c.image || ''); });
if (floating.length > 0) {
  deny('images must be pinned to a tag other than latest: ' + floating.map(function (c) { return c.name + '=' + c.image; }).join(', '));
}`,
    },
    tests: [
      { name: 'pod with nginx:latest is denied', request: requestJson(pod({ containers: [{ name: 'web', image: 'nginx:latest' }] })), expect: 'deny', detail: 'web=nginx:latest' },
      { name: 'deployment with an untagged init container is denied', request: requestJson(deployment({ initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'web', image: 'nginx:1.25' }] })), expect: 'deny', detail: 'init=busybox' },
      { name: 'pinned tag is allowed', request: requestJson(pod({ containers: [{ name: 'web', image: 'nginx:1.25' }] })), expect: 'allow', detail: '' },
      { name: 'digest is allowed', request: requestJson(pod({ containers: [{ name: 'web', image: 'nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' }] })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
