import { admit, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';
import { pssCases } from '../pss-fixtures/index.ts';

const spec = { containers: [{ name: 'a', securityContext: { capabilities: { add: ['NET_ADMIN', 'CHOWN'] } } }, { name: 'b', securityContext: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }] };
export const cases = [
  truthy('baseline: outside the default set', 'capabilityViolations(request.object, "baseline").join(",")', '"a:NET_ADMIN"', admit(pod(spec))),
  truthy('restricted: drop ALL and only NET_BIND_SERVICE', 'capabilityViolations(request.object, "restricted").join(",")', '"a:drop ALL missing,a:NET_ADMIN,a:CHOWN"', admit(pod(spec))),
  truthy('baseline: literal names, chown is not CHOWN', 'capabilityViolations(request.object, "baseline").join(",")', '"a:CHOWN"', admit(pod({ containers: [{ name: 'a', securityContext: { capabilities: { add: ['chown'] } } }] }))),
  truthy('restricted: "all" is not ALL', 'capabilityViolations(request.object, "restricted").join(",")', '"a:drop ALL missing"', admit(pod({ containers: [{ name: 'a', securityContext: { capabilities: { drop: ['all'] } } }] }))),
  truthy('restricted: Windows pods are exempt', 'capabilityViolations(request.object, "restricted").length === 0', 'true', admit(pod({ os: { name: 'windows' }, containers: [{ name: 'w' }] }))),
  truthy('ephemeral container', 'capabilityViolations(request.object, "restricted").join(",")', '"debug:drop ALL missing"', ephemeralUpdate(pod({ containers: [{ name: 'b', securityContext: { capabilities: { drop: ['ALL'] } } }], ephemeralContainers: [{ name: 'debug' }] }))),
  ...kindCases('restricted', 'capabilityViolations(request.object, "restricted").join(",")', '"a:drop ALL missing,a:NET_ADMIN,a:CHOWN"', spec),
  ...pssCases(
    (f) => `capabilityViolations(request.object, "${f.level}").length`,
    (f) => (f.check === 'capabilities_baseline' || (f.level === 'restricted' && f.check === 'capabilities_restricted') ? f.expect === 'fail' : f.level === 'restricted' && f.check === '' ? false : undefined),
  ),
];
export const keywords = ['capabilities', 'capability', 'drop', 'ALL', 'add', 'NET_BIND_SERVICE', 'linux', 'security', 'pss', 'baseline', 'restricted'];
