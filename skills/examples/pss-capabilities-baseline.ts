import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards baseline: containers may add only the default Linux capabilities',
  keywords: ['capabilities', 'linux'],
  level: 'baseline',
  check: 'capabilities_baseline',
  call: "capabilityViolations(request.object, 'baseline')",
  message: 'may add only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT',
  containers: true,
  denies: 'add a capability outside the default set to a container',
  allows: 'the default capabilities, written exactly',
  bad: { containers: [{ name: 'app', image: 'app:1', securityContext: { capabilities: { add: ['NET_ADMIN'] } } }] },
  badDetail: 'app:NET_ADMIN',
  good: { containers: [{ name: 'app', image: 'app:1', securityContext: { capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'] } } }] },
  workload: 'StatefulSet',
  exemptTest: 'image',
});
