import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards baseline: deny privileged containers',
  keywords: ['privileged'],
  level: 'baseline',
  check: 'privileged',
  call: 'privilegedContainers(request.object)',
  message: 'must not set securityContext.privileged=true',
  containers: true,
  denies: 'run a container, init or ephemeral container privileged',
  allows: 'privileged false or unset',
  bad: { containers: [{ name: 'app', image: 'app:1', securityContext: { privileged: true } }] },
  badDetail: 'app',
  good: { containers: [{ name: 'app', image: 'app:1', securityContext: { privileged: false } }] },
  workload: 'Deployment',
  exemptTest: 'image',
});
