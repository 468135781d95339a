import { admit, ephemeralUpdate, falsy, kindCases, pod, service, truthy } from '../fixtures.ts';

const spec = { containers: [{ name: 'app', image: 'nginx' }] };
export const cases = [
  ...kindCases('its pod spec', 'podSpecOf(request.object).containers[0].name', '"app"', spec),
  truthy('ephemeral containers update: the whole pod spec', 'podSpecOf(request.object).ephemeralContainers[0].name', '"debug"', ephemeralUpdate(pod({ ...spec, ephemeralContainers: [{ name: 'debug', image: 'busybox' }] }))),
  falsy('service: null', 'podSpecOf(request.object)', admit(service({ type: 'ClusterIP' }))),
  falsy('pod without spec: null', 'podSpecOf(request.object)', admit({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })),
  falsy('deployment without template: null', 'podSpecOf(request.object)', admit({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 1 } })),
  falsy('no object (DELETE): null', 'podSpecOf(request.object)', { operation: 'DELETE', kind: { group: '', version: 'v1', kind: 'Pod' } }),
];
export const keywords = ['template', 'workload', 'pod-bearing', 'spec', 'replicationcontroller', 'podtemplate'];
