import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards baseline: no hostPath volumes (node-exporter pods excepted)',
  keywords: ['hostPath', 'exception'],
  level: 'baseline',
  check: 'hostPathVolumes',
  call: 'hostPathVolumes(request.object)',
  message: 'must not be mounted from the host',
  containers: false,
  denies: 'mount a hostPath volume',
  allows: 'every other volume type',
  bad: { containers: [{ name: 'app', image: 'app:1' }], volumes: [{ name: 'root', hostPath: { path: '/' } }] },
  badDetail: 'hostPath',
  good: { containers: [{ name: 'app', image: 'app:1' }], volumes: [{ name: 'tmp', emptyDir: {} }] },
  workload: 'DaemonSet',
  exempt: { namespaces: [], labels: { app: 'node-exporter' }, images: [] },
  exemptTest: 'label',
});
