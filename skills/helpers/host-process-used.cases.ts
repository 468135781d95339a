import { admit, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';
import { ofChecks, pssCases } from '../pss-fixtures/index.ts';

const hp = { windowsOptions: { hostProcess: true } };
export const cases = [
  truthy('pod-level hostProcess', 'hostProcessUsed(request.object).join(",")', '"spec.securityContext.windowsOptions.hostProcess"', admit(pod({ securityContext: hp, containers: [{ name: 'a' }] }))),
  truthy('container hostProcess', 'hostProcessUsed(request.object).join(",")', '"b"', admit(pod({ containers: [{ name: 'a' }, { name: 'b', securityContext: hp }] }))),
  truthy('false is fine', 'hostProcessUsed(request.object).length === 0', 'true', admit(pod({ securityContext: { windowsOptions: { hostProcess: false } }, containers: [{ name: 'a' }] }))),
  truthy('ephemeral container', 'hostProcessUsed(request.object).join(",")', '"debug"', ephemeralUpdate(pod({ containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'debug', securityContext: hp }] }))),
  ...kindCases('init container', 'hostProcessUsed(request.object).join(",")', '"i"', { initContainers: [{ name: 'i', securityContext: hp }], containers: [{ name: 'a' }] }),
  ...pssCases('hostProcessUsed(request.object).length', ofChecks('windowsHostProcess')),
];
export const keywords = ['windows', 'hostProcess', 'HostProcess', 'windowsOptions', 'host', 'pss', 'baseline'];
