import { admit, deployment, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';
import { ofChecks, pssCases } from '../pss-fixtures/index.ts';

const KEY = 'container.apparmor.security.beta.kubernetes.io/';
export const cases = [
  truthy('pod Unconfined', 'appArmorViolations(request.object).join(",")', '"spec.securityContext.appArmorProfile.type=Unconfined"', admit(pod({ securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [{ name: 'a' }] }))),
  truthy('container Unconfined', 'appArmorViolations(request.object).join(",")', '"b"', admit(pod({ containers: [{ name: 'a', securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } } }, { name: 'b', securityContext: { appArmorProfile: { type: 'Unconfined' } } }] }))),
  truthy('annotation unconfined', 'appArmorViolations(request.object).join(",")', `"a:annotation ${KEY}a=unconfined"`, admit(pod({ containers: [{ name: 'a' }] }, { annotations: { [`${KEY}a`]: 'unconfined' } }))),
  truthy('allowed annotations', 'appArmorViolations(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'a' }, { name: 'b' }] }, { annotations: { [`${KEY}a`]: 'runtime/default', [`${KEY}b`]: 'localhost/custom' } }))),
  truthy('a workload\'s template annotation', 'appArmorViolations(request.object).join(",")', `"a:annotation ${KEY}a=unconfined"`, admit(deployment({ containers: [{ name: 'a' }] }, {}, { annotations: { [`${KEY}a`]: 'unconfined' } }))),
  truthy('ephemeral container', 'appArmorViolations(request.object).join(",")', '"debug"', ephemeralUpdate(pod({ containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'debug', securityContext: { appArmorProfile: { type: 'Unconfined' } } }] }))),
  ...kindCases('init container Unconfined', 'appArmorViolations(request.object).join(",")', '"i"', { initContainers: [{ name: 'i', securityContext: { appArmorProfile: { type: 'Unconfined' } } }], containers: [{ name: 'a' }] }),
  ...pssCases('appArmorViolations(request.object).length', ofChecks('appArmorProfile')),
];
export const keywords = ['apparmor', 'AppArmor', 'profile', 'unconfined', 'annotation', 'security', 'pss', 'baseline'];
