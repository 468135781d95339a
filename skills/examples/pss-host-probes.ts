import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards baseline: probes and lifecycle hooks must not target another host',
  keywords: ['probe', 'liveness', 'readiness', 'startup', 'lifecycle', 'hook', 'httpGet', 'tcpSocket'],
  level: 'baseline',
  check: 'hostProbesAndHostLifecycle',
  call: 'probeHostsUsed(request.object)',
  message: 'must not set a probe or lifecycle host',
  containers: true,
  denies: 'set httpGet.host or tcpSocket.host in a probe or lifecycle hook',
  allows: 'probes and hooks on the pod itself (host unset or "")',
  bad: { containers: [{ name: 'app', image: 'app:1', livenessProbe: { httpGet: { host: '169.254.169.254', path: '/', port: 80 } } }] },
  badDetail: 'app:169.254.169.254',
  good: { containers: [{ name: 'app', image: 'app:1', livenessProbe: { httpGet: { path: '/healthz', port: 8080 } } }] },
  workload: 'Deployment',
  exemptTest: 'label',
});
