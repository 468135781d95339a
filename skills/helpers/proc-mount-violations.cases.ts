import { admit, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';
import { pssCases } from '../pss-fixtures/index.ts';

const unmasked = { containers: [{ name: 'a', securityContext: { procMount: 'Unmasked' } }, { name: 'b', securityContext: { procMount: 'Default' } }] };
export const cases = [
  truthy('Unmasked', 'procMountViolations(request.object, "baseline").join(",")', '"a:procMount=Unmasked"', admit(pod(unmasked))),
  truthy('baseline: a user-namespace pod may unmask', 'procMountViolations(request.object, "baseline").length === 0', 'true', admit(pod({ ...unmasked, hostUsers: false }))),
  truthy('restricted: not even in a user namespace', 'procMountViolations(request.object, "restricted").join(",")', '"a:procMount=Unmasked"', admit(pod({ ...unmasked, hostUsers: false }))),
  truthy('an unknown level is restricted', 'procMountViolations(request.object, "strict").join(",")', '"a:procMount=Unmasked"', admit(pod({ ...unmasked, hostUsers: false }))),
  truthy('ephemeral container', 'procMountViolations(request.object, "baseline").join(",")', '"debug:procMount=Unmasked"', ephemeralUpdate(pod({ containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'debug', securityContext: { procMount: 'Unmasked' } }] }))),
  ...kindCases('Unmasked', 'procMountViolations(request.object, "restricted").join(",")', '"a:procMount=Unmasked"', unmasked),
  ...pssCases(
    (f) => `procMountViolations(request.object, "${f.level}").length`,
    (f) => (f.check === 'procMount' || f.check === 'procMount_restricted' ? f.expect === 'fail' : undefined),
  ),
];
export const keywords = ['proc', 'procMount', 'Unmasked', 'mount', 'hostUsers', 'user', 'namespace', 'pss', 'baseline', 'restricted'];
