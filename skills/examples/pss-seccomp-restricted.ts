import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards restricted: a RuntimeDefault or Localhost seccomp profile is required',
  keywords: ['seccomp', 'seccompProfile', 'RuntimeDefault', 'syscall'],
  level: 'restricted',
  check: 'seccompProfile_restricted',
  call: "seccompViolations(request.object, 'restricted')",
  message: 'must set securityContext.seccompProfile.type to RuntimeDefault or Localhost (on the pod or the container)',
  containers: true,
  denies: 'leave a container without a RuntimeDefault or Localhost seccomp profile (its own or the pod\'s), or set another type (Windows pods exempt)',
  allows: 'a valid profile on the pod or on every container',
  bad: { containers: [{ name: 'app', image: 'app:1' }] },
  badDetail: 'app:seccompProfile unset',
  good: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'app', image: 'app:1' }] },
  workload: 'DaemonSet',
  exemptTest: 'namespace',
});
