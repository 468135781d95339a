import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards restricted: no container may unmask /proc (procMount), user namespaces included',
  keywords: ['proc', 'procMount', 'Unmasked', 'hostUsers'],
  level: 'restricted',
  check: 'procMount_restricted',
  call: "procMountViolations(request.object, 'restricted')",
  message: 'must not unmask /proc',
  containers: true,
  denies: 'set securityContext.procMount to anything but Default, even with hostUsers: false',
  allows: 'procMount Default or unset',
  bad: { hostUsers: false, containers: [{ name: 'app', image: 'app:1', securityContext: { procMount: 'Unmasked' } }] },
  badDetail: 'app:procMount=Unmasked',
  good: { hostUsers: false, containers: [{ name: 'app', image: 'app:1', securityContext: { procMount: 'Default' } }] },
  workload: 'StatefulSet',
  exemptTest: 'namespace',
});
