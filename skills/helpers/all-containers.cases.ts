import { admit, cronJob, daemonSet, deployment, job, pod, service, statefulSet, truthy } from '../fixtures.ts';

const spec = {
  initContainers: [{ name: 'init', image: 'busybox' }],
  containers: [{ name: 'app', image: 'nginx' }, { name: 'sidecar', image: 'envoy' }],
  ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
};
const names = 'allContainers(request.object).map(function (c) { return c.name; }).join(",")';
export const cases = [
  truthy('pod: containers, init and ephemeral containers', names, '"app,sidecar,init,debug"', admit(pod(spec))),
  truthy('deployment template', names, '"app,sidecar,init,debug"', admit(deployment(spec))),
  truthy('statefulset template', names, '"app,sidecar,init,debug"', admit(statefulSet(spec))),
  truthy('daemonset template', names, '"app,sidecar,init,debug"', admit(daemonSet(spec))),
  truthy('job template', names, '"app,sidecar,init,debug"', admit(job(spec))),
  truthy('cronjob job template', names, '"app,sidecar,init,debug"', admit(cronJob(spec))),
  truthy('service: none', 'allContainers(request.object).length === 0', 'true', admit(service({}))),
  truthy('pod without spec: none', 'allContainers(request.object).length === 0', 'true', admit({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })),
];
export const keywords = ['init', 'ephemeral', 'sidecar', 'container', 'pod', 'deployment', 'job', 'cronjob', 'statefulset', 'daemonset'];
