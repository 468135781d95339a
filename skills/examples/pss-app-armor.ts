import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards baseline: do not disable or override the default AppArmor profile',
  keywords: ['apparmor', 'unconfined'],
  level: 'baseline',
  check: 'appArmorProfile',
  call: 'appArmorViolations(request.object)',
  message: 'must use the RuntimeDefault or a Localhost AppArmor profile',
  containers: true,
  denies: 'set an AppArmor profile other than RuntimeDefault or Localhost (field or annotation)',
  allows: 'RuntimeDefault, Localhost, or nothing set',
  bad: { containers: [{ name: 'app', image: 'app:1', securityContext: { appArmorProfile: { type: 'Unconfined' } } }] },
  badDetail: 'app',
  good: { containers: [{ name: 'app', image: 'app:1', securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }] },
  workload: 'CronJob',
  exemptTest: 'image',
});
