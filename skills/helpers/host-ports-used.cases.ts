import { admit, pod, truthy } from '../fixtures.ts';

export const cases = [
  truthy('host port', 'hostPortsUsed(request.object).join(",")', '"web:8080"', admit(pod({ containers: [{ name: 'web', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 443 }] }] }))),
  truthy('no host ports', 'hostPortsUsed(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'web', ports: [{ containerPort: 80 }] }] }))),
];
export const keywords = ['hostPort', 'host', 'port', 'network'];
