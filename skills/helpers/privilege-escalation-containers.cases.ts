import { admit, pod, truthy } from '../fixtures.ts';

export const cases = [
  truthy('unset defaults to allowed', 'privilegeEscalationContainers(request.object).join(",")', '"a"', admit(pod({ containers: [{ name: 'a' }, { name: 'b', securityContext: { allowPrivilegeEscalation: false } }] }))),
  truthy('privileged escalates', 'privilegeEscalationContainers(request.object).join(",")', '"p"', admit(pod({ containers: [{ name: 'p', securityContext: { privileged: true, allowPrivilegeEscalation: false } }] }))),
  truthy('all disabled', 'privilegeEscalationContainers(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'b', securityContext: { allowPrivilegeEscalation: false } }] }))),
];
export const keywords = ['privilege', 'escalation', 'allowPrivilegeEscalation', 'security', 'securityContext'];
