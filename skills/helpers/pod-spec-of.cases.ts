import { admit, cronJob, deployment, falsy, pod, service, truthy } from '../fixtures.ts';

const spec = { containers: [{ name: 'app', image: 'nginx' }] };
export const cases = [
  truthy('pod: its spec', 'podSpecOf(request.object).containers[0].name', '"app"', admit(pod(spec))),
  truthy('deployment: the template spec', 'podSpecOf(request.object).containers[0].name', '"app"', admit(deployment(spec))),
  truthy('cronjob: the job template spec', 'podSpecOf(request.object).containers[0].name', '"app"', admit(cronJob(spec))),
  falsy('service: null', 'podSpecOf(request.object)', admit(service({ type: 'ClusterIP' }))),
  falsy('no object (DELETE): null', 'podSpecOf(request.object)', { operation: 'DELETE', kind: { group: '', version: 'v1', kind: 'Pod' } }),
];
export const keywords = ['template', 'workload', 'pod-bearing'];
