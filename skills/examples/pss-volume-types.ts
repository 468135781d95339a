import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards restricted: pods may use only configMap, secret, emptyDir, projected, downwardAPI, CSI, persistentVolumeClaim, ephemeral and image volumes',
  keywords: ['nfs', 'gitRepo', 'storage'],
  level: 'restricted',
  check: 'restrictedVolumes',
  call: 'forbiddenVolumeTypes(request.object)',
  message: 'is a forbidden volume type',
  containers: false,
  denies: 'use a volume type outside configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret',
  allows: 'those volume types',
  bad: { containers: [{ name: 'app', image: 'app:1' }], volumes: [{ name: 'data', nfs: { server: 'nfs.example.com', path: '/exports' } }] },
  badDetail: 'volumes[data]: nfs',
  good: { containers: [{ name: 'app', image: 'app:1' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
  workload: 'StatefulSet',
  exemptTest: 'namespace',
});
