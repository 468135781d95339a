import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards restricted: containers must not allow privilege escalation (allowPrivilegeEscalation: false)',
  keywords: ['escalation', 'allowPrivilegeEscalation', 'setuid'],
  level: 'restricted',
  check: 'allowPrivilegeEscalation',
  call: 'privilegeEscalationContainers(request.object)',
  message: 'need allowPrivilegeEscalation: false',
  containers: true,
  denies: 'leave allowPrivilegeEscalation unset or true on a container (Windows pods exempt)',
  allows: 'allowPrivilegeEscalation false on every container',
  bad: { containers: [{ name: 'app', image: 'app:1' }] },
  badDetail: 'app',
  good: { containers: [{ name: 'app', image: 'app:1', securityContext: { allowPrivilegeEscalation: false } }] },
  workload: 'Deployment',
  exemptTest: 'image',
});
