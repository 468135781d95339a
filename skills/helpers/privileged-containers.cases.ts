import { admit, daemonSet, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';
import { ofChecks, pssCases } from '../pss-fixtures/index.ts';

const spec = { containers: [{ name: 'app' }], initContainers: [{ name: 'setup', securityContext: { privileged: true } }] };
export const cases = [
  truthy('privileged init container', 'privilegedContainers(request.object).join(",")', '"setup"', admit(daemonSet(spec))),
  truthy('privileged: false is fine', 'privilegedContainers(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'app', securityContext: { privileged: false } }] }))),
  truthy('privileged ephemeral container (kubectl debug --profile=sysadmin)', 'privilegedContainers(request.object).join(",")', '"debug"', ephemeralUpdate(pod({ containers: [{ name: 'app' }], ephemeralContainers: [{ name: 'debug', image: 'busybox', securityContext: { privileged: true } }] }))),
  ...kindCases('privileged init container', 'privilegedContainers(request.object).join(",")', '"setup"', spec),
  ...pssCases('privilegedContainers(request.object).length', ofChecks('privileged')),
];
export const keywords = ['privileged', 'security', 'securityContext', 'root', 'host', 'pss', 'baseline'];
