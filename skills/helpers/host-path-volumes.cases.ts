import { admit, job, kindCases, pod, truthy } from '../fixtures.ts';
import { ofChecks, pssCases } from '../pss-fixtures/index.ts';

const spec = { containers: [{ name: 'a' }], volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }, { name: 'tmp', emptyDir: {} }] };
export const cases = [
  truthy('hostPath volume', 'hostPathVolumes(request.object).join(",")', '"/var/run/docker.sock"', admit(job(spec))),
  truthy('no hostPath', 'hostPathVolumes(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'a' }], volumes: [{ name: 'tmp', emptyDir: {} }] }))),
  truthy('a hostPath without a path is listed by name', 'hostPathVolumes(request.object).join(",")', '"volumes[x]"', admit(pod({ containers: [{ name: 'a' }], volumes: [{ name: 'x', hostPath: {} }] }))),
  truthy('hostPath: null is no hostPath', 'hostPathVolumes(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'a' }], volumes: [{ name: 'x', hostPath: null, emptyDir: {} }] }))),
  ...kindCases('docker socket', 'hostPathVolumes(request.object).join(",")', '"/var/run/docker.sock"', spec),
  ...pssCases('hostPathVolumes(request.object).length', ofChecks('hostPathVolumes')),
];
export const keywords = ['hostPath', 'host', 'path', 'volume', 'mount', 'filesystem', 'node', 'pss', 'baseline'];
