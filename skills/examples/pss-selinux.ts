import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards baseline: no custom SELinux user or role, and only the container SELinux types',
  keywords: ['selinux', 'seLinuxOptions', 'spc_t'],
  level: 'baseline',
  check: 'seLinuxOptions',
  call: 'seLinuxViolations(request.object)',
  message: 'is a forbidden seLinuxOptions setting',
  containers: true,
  denies: 'set an SELinux type other than container_t, container_init_t, container_kvm_t, container_engine_t, or any SELinux user or role',
  allows: 'those types, levels, or nothing set',
  bad: { containers: [{ name: 'app', image: 'app:1', securityContext: { seLinuxOptions: { type: 'spc_t' } } }] },
  badDetail: 'app:type=spc_t',
  good: { containers: [{ name: 'app', image: 'app:1', securityContext: { seLinuxOptions: { level: 's0:c123,c456' } } }] },
  workload: 'Job',
  exemptTest: 'namespace',
});
