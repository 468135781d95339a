import { admit, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';
import { pssCases } from '../pss-fixtures/index.ts';

export const cases = [
  truthy('unset defaults to allowed', 'privilegeEscalationContainers(request.object).join(",")', '"a"', admit(pod({ containers: [{ name: 'a' }, { name: 'b', securityContext: { allowPrivilegeEscalation: false } }] }))),
  truthy('privileged escalates', 'privilegeEscalationContainers(request.object).join(",")', '"p"', admit(pod({ containers: [{ name: 'p', securityContext: { privileged: true, allowPrivilegeEscalation: false } }] }))),
  truthy('all disabled', 'privilegeEscalationContainers(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'b', securityContext: { allowPrivilegeEscalation: false } }] }))),
  truthy('Windows pods are exempt', 'privilegeEscalationContainers(request.object).length === 0', 'true', admit(pod({ os: { name: 'windows' }, containers: [{ name: 'w' }] }))),
  truthy('ephemeral container', 'privilegeEscalationContainers(request.object).join(",")', '"debug"', ephemeralUpdate(pod({ containers: [{ name: 'b', securityContext: { allowPrivilegeEscalation: false } }], ephemeralContainers: [{ name: 'debug', image: 'busybox' }] }))),
  ...kindCases('init container unset', 'privilegeEscalationContainers(request.object).join(",")', '"i"', { initContainers: [{ name: 'i' }], containers: [{ name: 'b', securityContext: { allowPrivilegeEscalation: false } }] }),
  ...pssCases('privilegeEscalationContainers(request.object).length', (f) => (f.check === 'allowPrivilegeEscalation' ? f.expect === 'fail' : f.level === 'restricted' && f.check === '' ? false : undefined)),
];
export const keywords = ['privilege', 'escalation', 'allowPrivilegeEscalation', 'security', 'securityContext', 'pss', 'restricted'];
