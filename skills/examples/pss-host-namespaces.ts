import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards baseline: no hostNetwork, hostPID or hostIPC',
  keywords: ['hostPID', 'hostIPC', 'share'],
  level: 'baseline',
  check: 'hostNamespaces',
  call: 'hostNamespacesUsed(request.object)',
  message: 'must not be true',
  containers: false,
  denies: 'set hostNetwork, hostPID or hostIPC to true',
  allows: 'those fields false or unset',
  bad: { hostNetwork: true, containers: [{ name: 'app', image: 'app:1' }] },
  badDetail: 'hostNetwork',
  good: { hostNetwork: false, containers: [{ name: 'app', image: 'app:1' }] },
  workload: 'DaemonSet',
  exemptTest: 'namespace',
});
