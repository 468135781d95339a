import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards baseline: only safe sysctls',
  keywords: ['sysctl', 'kernel', 'unsafe'],
  level: 'baseline',
  check: 'sysctls',
  call: 'unsafeSysctls(request.object)',
  message: 'is not a safe sysctl',
  containers: false,
  denies: 'set a sysctl outside the safe set in spec.securityContext.sysctls',
  allows: 'the safe sysctls (net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, …)',
  bad: { securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '65536' }] }, containers: [{ name: 'app', image: 'app:1' }] },
  badDetail: 'kernel.msgmax',
  good: { securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }] }, containers: [{ name: 'app', image: 'app:1' }] },
  workload: 'Job',
  exemptTest: 'label',
});
