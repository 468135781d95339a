import { pssExample } from '../pss.ts';

export default pssExample({
  intent: 'Pod Security Standards restricted: containers must drop ALL capabilities and may add back only NET_BIND_SERVICE',
  keywords: ['capabilities', 'drop', 'NET_BIND_SERVICE'],
  level: 'restricted',
  check: 'capabilities_restricted',
  call: "capabilityViolations(request.object, 'restricted')",
  message: '(drop ALL; add only NET_BIND_SERVICE)',
  containers: true,
  denies: 'leave out capabilities.drop ["ALL"], or add any capability but NET_BIND_SERVICE (Windows pods exempt)',
  allows: 'drop ALL, optionally add NET_BIND_SERVICE',
  bad: { containers: [{ name: 'app', image: 'app:1', securityContext: { capabilities: { add: ['NET_RAW'] } } }] },
  badDetail: 'app:drop ALL missing, app:NET_RAW',
  good: { containers: [{ name: 'app', image: 'app:1', securityContext: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }] },
  workload: 'Job',
  exemptTest: 'image',
});
