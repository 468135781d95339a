import { admit, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';
import { ofChecks, pssCases } from '../pss-fixtures/index.ts';

export const cases = [
  truthy('pod runAsUser 0', 'runAsUserZero(request.object).join(",")', '"spec.securityContext.runAsUser=0"', admit(pod({ securityContext: { runAsUser: 0 }, containers: [{ name: 'a' }] }))),
  truthy('container runAsUser 0', 'runAsUserZero(request.object).join(",")', '"b"', admit(pod({ containers: [{ name: 'a', securityContext: { runAsUser: 1000 } }, { name: 'b', securityContext: { runAsUser: 0 } }] }))),
  truthy('unset is fine', 'runAsUserZero(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'a' }] }))),
  truthy('user-namespace pods are exempt', 'runAsUserZero(request.object).length === 0', 'true', admit(pod({ hostUsers: false, securityContext: { runAsUser: 0 }, containers: [{ name: 'a' }] }))),
  truthy('ephemeral container', 'runAsUserZero(request.object).join(",")', '"debug"', ephemeralUpdate(pod({ containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'debug', securityContext: { runAsUser: 0 } }] }))),
  ...kindCases('init container', 'runAsUserZero(request.object).join(",")', '"i"', { initContainers: [{ name: 'i', securityContext: { runAsUser: 0 } }], containers: [{ name: 'a' }] }),
  ...pssCases('runAsUserZero(request.object).length', ofChecks('runAsUser')),
];
export const keywords = ['root', 'runAsUser', 'uid', 'zero', 'user', 'security', 'securityContext', 'pss', 'restricted'];
