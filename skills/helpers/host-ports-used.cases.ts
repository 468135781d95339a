import { admit, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';
import { ofChecks, pssCases } from '../pss-fixtures/index.ts';

const spec = { containers: [{ name: 'web', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 443 }] }] };
export const cases = [
  truthy('host port', 'hostPortsUsed(request.object).join(",")', '"web:8080"', admit(pod(spec))),
  truthy('no host ports', 'hostPortsUsed(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'web', ports: [{ containerPort: 80 }] }] }))),
  truthy('hostPort 0 is none', 'hostPortsUsed(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'web', ports: [{ containerPort: 80, hostPort: 0 }] }] }))),
  truthy('init container host port', 'hostPortsUsed(request.object).join(",")', '"i:9000"', admit(pod({ initContainers: [{ name: 'i', ports: [{ containerPort: 9000, hostPort: 9000 }] }], containers: [{ name: 'web' }] }))),
  truthy('ephemeral container host port', 'hostPortsUsed(request.object).join(",")', '"debug:22"', ephemeralUpdate(pod({ containers: [{ name: 'web' }], ephemeralContainers: [{ name: 'debug', ports: [{ containerPort: 22, hostPort: 22 }] }] }))),
  ...kindCases('host port 8080', 'hostPortsUsed(request.object).join(",")', '"web:8080"', spec),
  ...pssCases('hostPortsUsed(request.object).length', ofChecks('hostPorts')),
];
export const keywords = ['hostPort', 'host', 'port', 'network', 'pss', 'baseline'];
