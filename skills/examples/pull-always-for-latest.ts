import { pod, requestJson, type ExampleSource } from '../fixtures.ts';

export default {
  intent: 'Set imagePullPolicy to Always on pod containers that use the latest tag',
  keywords: ['mutate', 'imagePullPolicy', 'latest', 'set', 'default'],
  answer: {
    plan: {
      summary: 'Mutate pods: containers (init and ephemeral included) with a floating latest image get imagePullPolicy Always',
      resources: [{ group: '', version: 'v1', resource: 'pods' }],
      operations: ['CREATE'],
      namespaces: [],
      denies: '',
      allows: 'pods whose images are pinned, unchanged',
      mutates: 'spec.*containers[*].imagePullPolicy = Always where the image is latest or untagged',
    },
    policy: {
      type: 'Mutating',
      operations: ['CREATE'],
      resources: ['pods'],
      apiGroups: [''],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: `var changed = false;
allContainers(request.object).forEach(function (c) {
  if (usesLatestTag(c.image || '') && c.imagePullPolicy !== 'Always') {
    c.imagePullPolicy = 'Always';
    changed = true;
  }
});
if (changed) mutate(request.object);`,
    },
    tests: [
      { name: 'latest image gets Always', request: requestJson(pod({ containers: [{ name: 'web', image: 'nginx:latest', imagePullPolicy: 'IfNotPresent' }] })), expect: 'mutate', detail: '{"spec":{"containers":[{"name":"web","imagePullPolicy":"Always"}]}}' },
      { name: 'pinned image is unchanged', request: requestJson(pod({ containers: [{ name: 'web', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent' }] })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
