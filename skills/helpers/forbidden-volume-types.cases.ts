import { admit, kindCases, pod, truthy } from '../fixtures.ts';
import { pssCases } from '../pss-fixtures/index.ts';

const spec = { containers: [{ name: 'a' }], volumes: [{ name: 'data', nfs: { server: 'nfs', path: '/' } }, { name: 'cfg', configMap: { name: 'c' } }, { name: 'odd', futureType: {} }, { name: 'plain' }] };
export const cases = [
  truthy('nfs and an unknown type', 'forbiddenVolumeTypes(request.object).join(",")', '"volumes[data]: nfs,volumes[odd]: unknown"', admit(pod(spec))),
  truthy('every allowed type', 'forbiddenVolumeTypes(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'a' }], volumes: ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'].map((t, i) => ({ name: `v${i}`, [t]: {} })) }))),
  truthy('no source is a defaulted emptyDir', 'forbiddenVolumeTypes(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'a' }], volumes: [{ name: 'scratch' }, { name: 'n', nfs: null }] }))),
  truthy('hostPath is forbidden', 'forbiddenVolumeTypes(request.object).join(",")', '"volumes[h]: hostPath"', admit(pod({ containers: [{ name: 'a' }], volumes: [{ name: 'h', hostPath: { path: '/' } }] }))),
  truthy('null does not make a type', 'forbiddenVolumeTypes(request.object).join(",")', '"volumes[x]: gitRepo"', admit(pod({ containers: [{ name: 'a' }], volumes: [{ name: 'x', emptyDir: null, gitRepo: { repository: 'r' } }] }))),
  ...kindCases('nfs', 'forbiddenVolumeTypes(request.object).join(",")', '"volumes[data]: nfs,volumes[odd]: unknown"', spec),
  ...pssCases('forbiddenVolumeTypes(request.object).length', (f) => (f.check === 'restrictedVolumes' || f.check === 'hostPathVolumes' ? f.expect === 'fail' : f.level === 'restricted' && f.check === '' ? false : undefined)),
];
export const keywords = ['volume', 'volumes', 'type', 'nfs', 'hostPath', 'gitRepo', 'restricted', 'storage', 'pss'];
