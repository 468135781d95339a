import { admit, job, pod, truthy } from '../fixtures.ts';

export const cases = [
  truthy('hostPath volume', 'hostPathVolumes(request.object).join(",")', '"/var/run/docker.sock"', admit(job({ containers: [{ name: 'a' }], volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }, { name: 'tmp', emptyDir: {} }] }))),
  truthy('no hostPath', 'hostPathVolumes(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'a' }], volumes: [{ name: 'tmp', emptyDir: {} }] }))),
];
export const keywords = ['hostPath', 'host', 'path', 'volume', 'mount', 'filesystem', 'node'];
