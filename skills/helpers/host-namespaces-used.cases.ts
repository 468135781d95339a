import { admit, deployment, kindCases, pod, truthy } from '../fixtures.ts';
import { ofChecks, pssCases } from '../pss-fixtures/index.ts';

export const cases = [
  truthy('host network and PID', 'hostNamespacesUsed(request.object).join(",")', '"hostNetwork,hostPID"', admit(deployment({ hostNetwork: true, hostPID: true, containers: [{ name: 'a' }] }))),
  truthy('none', 'hostNamespacesUsed(request.object).length === 0', 'true', admit(pod({ hostNetwork: false, containers: [{ name: 'a' }] }))),
  ...kindCases('host IPC', 'hostNamespacesUsed(request.object).join(",")', '"hostIPC"', { hostIPC: true, containers: [{ name: 'a' }] }),
  ...pssCases('hostNamespacesUsed(request.object).length', ofChecks('hostNamespaces')),
];
export const keywords = ['hostNetwork', 'hostPID', 'hostIPC', 'host', 'network', 'namespace', 'share', 'pss', 'baseline'];
