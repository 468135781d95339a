import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards baseline: no pod or container may run with an Unconfined seccomp profile',
  keywords: ['seccomp', 'seccompProfile', 'Unconfined', 'syscall'],
  level: 'baseline',
  check: 'seccompProfile_baseline',
  call: "seccompViolations(request.object, 'baseline')",
  message: 'must use the RuntimeDefault or a Localhost seccomp profile',
  containers: true,
  denies: 'set a seccompProfile type other than RuntimeDefault or Localhost on the pod or a container',
  allows: 'RuntimeDefault, Localhost, or no profile',
  bad: { containers: [{ name: 'app', image: 'app:1', securityContext: { seccompProfile: { type: 'Unconfined' } } }] },
  badDetail: 'app:seccompProfile.type=Unconfined',
  good: { containers: [{ name: 'app', image: 'app:1' }] },
  workload: 'Deployment',
  exemptTest: 'image',
});
