import { admit, deployment, pod, truthy } from '../fixtures.ts';

export const cases = [
  truthy('host network and PID', 'hostNamespacesUsed(request.object).join(",")', '"hostNetwork,hostPID"', admit(deployment({ hostNetwork: true, hostPID: true, containers: [{ name: 'a' }] }))),
  truthy('none', 'hostNamespacesUsed(request.object).length === 0', 'true', admit(pod({ hostNetwork: false, containers: [{ name: 'a' }] }))),
];
export const keywords = ['hostNetwork', 'hostPID', 'hostIPC', 'host', 'network', 'namespace', 'share'];
