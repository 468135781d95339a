import { admit, deployment, falsy, kindCases, service, truthy } from '../fixtures.ts';

const spec = { containers: [{ name: 'app', image: 'nginx' }] };
const podMeta = { labels: { tier: 'web' }, annotations: { 'example.com/x': 'y' } };
export const cases = [
  ...kindCases('its pods\' labels', 'podMetadataOf(request.object).labels.tier', '"web"', spec, podMeta),
  ...kindCases('its pods\' annotations', 'podMetadataOf(request.object).annotations["example.com/x"]', '"y"', spec, podMeta),
  truthy('a workload\'s own labels are not its pods\'', 'podMetadataOf(request.object).labels.owner === undefined', 'true', admit(deployment(spec, { labels: { owner: 'me' } }))),
  falsy('service: null', 'podMetadataOf(request.object)', admit(service({ type: 'ClusterIP' }))),
  falsy('template without metadata: null', 'podMetadataOf(request.object)', admit({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { spec } } })),
  falsy('no object: null', 'podMetadataOf(null)'),
];
export const keywords = ['template', 'metadata', 'workload'];
