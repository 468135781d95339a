import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards baseline: containers must not bind a hostPort',
  keywords: ['hostPort', 'bind'],
  level: 'baseline',
  check: 'hostPorts',
  call: 'hostPortsUsed(request.object)',
  message: 'must not use hostPort',
  containers: true,
  denies: 'set a non-zero hostPort on a container port',
  allows: 'hostPort 0 or unset',
  bad: { containers: [{ name: 'app', image: 'app:1', ports: [{ containerPort: 8080, hostPort: 8080 }] }] },
  badDetail: 'app:8080',
  good: { containers: [{ name: 'app', image: 'app:1', ports: [{ containerPort: 8080 }] }] },
  workload: 'DaemonSet',
  exemptTest: 'namespace',
});
