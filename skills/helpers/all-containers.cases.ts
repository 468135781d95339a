import { admit, ephemeralUpdate, kindCases, pod, service, truthy } from '../fixtures.ts';

const spec = {
  initContainers: [{ name: 'init', image: 'busybox' }],
  containers: [{ name: 'app', image: 'nginx' }, { name: 'sidecar', image: 'envoy' }],
  ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
};
const names = 'allContainers(request.object).map(function (c) { return c.name; }).join(",")';
export const cases = [
  ...kindCases('containers, init and ephemeral containers', names, '"app,sidecar,init,debug"', spec),
  truthy('pods/ephemeralcontainers update', names, '"app,debug"', ephemeralUpdate(pod({ containers: [{ name: 'app', image: 'nginx' }], ephemeralContainers: [{ name: 'debug', image: 'busybox' }] }))),
  truthy('entries that are not objects are skipped', names, '"app"', admit(pod({ containers: [null, 'x', { name: 'app' }] }))),
  truthy('service: none', 'allContainers(request.object).length === 0', 'true', admit(service({}))),
  truthy('pod without spec: none', 'allContainers(request.object).length === 0', 'true', admit({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })),
];
export const keywords = ['init', 'ephemeral', 'sidecar', 'container', 'pod', 'deployment', 'job', 'cronjob', 'statefulset', 'daemonset'];
