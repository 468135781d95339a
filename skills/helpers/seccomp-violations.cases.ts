import { admit, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';
import { pssCases } from '../pss-fixtures/index.ts';

const unconfined = { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [{ name: 'a' }] };
const unset = { containers: [{ name: 'a' }, { name: 'b', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }] };
export const cases = [
  truthy('baseline: Unconfined pod', 'seccompViolations(request.object, "baseline").join(",")', '"spec.securityContext.seccompProfile.type=Unconfined"', admit(pod(unconfined))),
  truthy('baseline: unset is fine', 'seccompViolations(request.object, "baseline").length === 0', 'true', admit(pod(unset))),
  truthy('restricted: unset container', 'seccompViolations(request.object, "restricted").join(",")', '"a:seccompProfile unset"', admit(pod(unset))),
  truthy('restricted: the pod\'s profile covers containers', 'seccompViolations(request.object, "restricted").length === 0', 'true', admit(pod({ ...unset, securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } }))),
  truthy('restricted: Windows pods are exempt', 'seccompViolations(request.object, "restricted").length === 0', 'true', admit(pod({ os: { name: 'windows' }, containers: [{ name: 'w' }] }))),
  truthy('ephemeral container', 'seccompViolations(request.object, "baseline").join(",")', '"debug:seccompProfile.type=Unconfined"', ephemeralUpdate(pod({ containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'debug', securityContext: { seccompProfile: { type: 'Unconfined' } } }] }))),
  ...kindCases('restricted: unset container', 'seccompViolations(request.object, "restricted").join(",")', '"a:seccompProfile unset"', unset),
  ...pssCases(
    (f) => `seccompViolations(request.object, "${f.level}").length`,
    (f) => (f.check === 'seccompProfile_baseline' || (f.level === 'restricted' && f.check === 'seccompProfile_restricted') ? f.expect === 'fail' : f.level === 'restricted' && f.check === '' ? false : undefined),
  ),
];
export const keywords = ['seccomp', 'seccompProfile', 'RuntimeDefault', 'Localhost', 'Unconfined', 'syscall', 'profile', 'security', 'pss', 'baseline', 'restricted'];
