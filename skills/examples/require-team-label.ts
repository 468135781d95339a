import { deployment, requestJson, type ExampleSource } from '../fixtures.ts';

export default {
  intent: 'Every Deployment must have the labels team and cost-center',
  keywords: ['label', 'require', 'mandatory', 'metadata'],
  answer: {
    plan: {
      summary: 'Deny Deployments that lack a non-empty team or cost-center label',
      resources: [{ group: 'apps', version: 'v1', resource: 'deployments' }],
      operations: ['CREATE', 'UPDATE'],
      namespaces: [],
      denies: 'Deployments missing team or cost-center (or with an empty value)',
      allows: 'Deployments with both labels',
      mutates: '',
    },
    policy: {
      type: 'Validating',
      operations: ['CREATE', 'UPDATE'],
      resources: ['deployments'],
      apiGroups: ['apps'],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: `var missing = missingLabels(request.object, ['team', 'cost-center']);
if (missing.length > 0) deny('Deployments need the labels ' + missing.join(', '));`,
    },
    tests: [
      { name: 'no labels is denied', request: requestJson(deployment({ containers: [{ name: 'a', image: 'a:1' }] })), expect: 'deny', detail: 'team, cost-center' },
      { name: 'empty cost-center is denied', request: requestJson(deployment({ containers: [{ name: 'a', image: 'a:1' }] }, { labels: { team: 'web', 'cost-center': '' } })), expect: 'deny', detail: 'cost-center' },
      { name: 'both labels pass', request: requestJson(deployment({ containers: [{ name: 'a', image: 'a:1' }] }, { labels: { team: 'web', 'cost-center': 'cc-42' } })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
