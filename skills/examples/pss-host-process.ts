import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards baseline: no Windows HostProcess pods or containers',
  keywords: ['windows', 'hostProcess', 'windowsOptions'],
  level: 'baseline',
  check: 'windowsHostProcess',
  call: 'hostProcessUsed(request.object)',
  message: 'must not set securityContext.windowsOptions.hostProcess=true',
  containers: true,
  denies: 'set securityContext.windowsOptions.hostProcess true on the pod or a container',
  allows: 'hostProcess false or unset',
  bad: { os: { name: 'windows' }, containers: [{ name: 'app', image: 'agent:1', securityContext: { windowsOptions: { hostProcess: true } } }] },
  badDetail: 'app',
  good: { os: { name: 'windows' }, containers: [{ name: 'app', image: 'agent:1' }] },
  workload: 'DaemonSet',
  exemptTest: 'image',
});
