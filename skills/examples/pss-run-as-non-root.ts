import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards restricted: containers must run as non-root (runAsNonRoot: true)',
  keywords: ['root', 'runAsNonRoot', 'non-root'],
  level: 'restricted',
  check: 'runAsNonRoot',
  call: 'runAsNonRootViolations(request.object)',
  message: 'must set securityContext.runAsNonRoot=true',
  containers: true,
  denies: 'leave runAsNonRoot unset on a container whose pod does not set it true, or set it false anywhere',
  allows: 'runAsNonRoot true on the pod or on every container; user-namespace pods (hostUsers: false)',
  bad: { containers: [{ name: 'app', image: 'app:1', securityContext: { runAsUser: 1000 } }] },
  badDetail: 'app',
  good: { securityContext: { runAsNonRoot: true }, containers: [{ name: 'app', image: 'app:1' }] },
  workload: 'Deployment',
  exemptTest: 'image',
});
