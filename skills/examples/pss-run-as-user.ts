import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards restricted: no runAsUser 0 (root) on pods or containers',
  keywords: ['root', 'runAsUser', 'uid', 'zero'],
  level: 'restricted',
  check: 'runAsUser',
  call: 'runAsUserZero(request.object)',
  message: 'must not set runAsUser=0',
  containers: true,
  denies: 'set runAsUser 0 on the pod or a container (user-namespace pods exempt)',
  allows: 'a non-zero or unset runAsUser',
  bad: { containers: [{ name: 'app', image: 'app:1', securityContext: { runAsUser: 0 } }] },
  badDetail: 'app',
  good: { containers: [{ name: 'app', image: 'app:1', securityContext: { runAsUser: 1000 } }] },
  workload: 'CronJob',
  exemptTest: 'label',
});
