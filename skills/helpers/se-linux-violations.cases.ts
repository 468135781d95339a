import { admit, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';
import { ofChecks, pssCases } from '../pss-fixtures/index.ts';

export const cases = [
  truthy('pod type spc_t', 'seLinuxViolations(request.object).join(",")', '"spec.securityContext.seLinuxOptions.type=spc_t"', admit(pod({ securityContext: { seLinuxOptions: { type: 'spc_t' } }, containers: [{ name: 'a' }] }))),
  truthy('container user and role', 'seLinuxViolations(request.object).join(",")', '"a:user=root,a:role=sysadm_r"', admit(pod({ containers: [{ name: 'a', securityContext: { seLinuxOptions: { user: 'root', role: 'sysadm_r' } } }] }))),
  truthy('allowed types and level', 'seLinuxViolations(request.object).length === 0', 'true', admit(pod({ securityContext: { seLinuxOptions: { type: 'container_engine_t', level: 's0:c1,c2' } }, containers: [{ name: 'a', securityContext: { seLinuxOptions: { type: 'container_t' } } }] }))),
  truthy('ephemeral container', 'seLinuxViolations(request.object).join(",")', '"debug:type=unconfined_t"', ephemeralUpdate(pod({ containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'debug', securityContext: { seLinuxOptions: { type: 'unconfined_t' } } }] }))),
  ...kindCases('init container type', 'seLinuxViolations(request.object).join(",")', '"i:type=spc_t"', { initContainers: [{ name: 'i', securityContext: { seLinuxOptions: { type: 'spc_t' } } }], containers: [{ name: 'a' }] }),
  ...pssCases('seLinuxViolations(request.object).length', ofChecks('seLinuxOptions')),
];
export const keywords = ['selinux', 'SELinux', 'seLinuxOptions', 'type', 'user', 'role', 'security', 'pss', 'baseline'];
