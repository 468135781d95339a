import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards baseline: containers must not unmask /proc (procMount), except in user-namespace pods',
  keywords: ['proc', 'procMount', 'Unmasked', 'hostUsers'],
  level: 'baseline',
  check: 'procMount',
  call: "procMountViolations(request.object, 'baseline')",
  message: 'must not unmask /proc',
  containers: true,
  denies: 'set securityContext.procMount to anything but Default outside a user namespace (hostUsers: false)',
  allows: 'procMount Default or unset; any procMount in a user-namespace pod',
  bad: { containers: [{ name: 'app', image: 'app:1', securityContext: { procMount: 'Unmasked' } }] },
  badDetail: 'app:procMount=Unmasked',
  good: { hostUsers: false, containers: [{ name: 'app', image: 'app:1', securityContext: { procMount: 'Unmasked' } }] },
  workload: 'StatefulSet',
  exemptTest: 'label',
});
