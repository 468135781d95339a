import { admit, daemonSet, pod, truthy } from '../fixtures.ts';

export const cases = [
  truthy('privileged init container', 'privilegedContainers(request.object).join(",")', '"setup"', admit(daemonSet({ containers: [{ name: 'app' }], initContainers: [{ name: 'setup', securityContext: { privileged: true } }] }))),
  truthy('privileged: false is fine', 'privilegedContainers(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'app', securityContext: { privileged: false } }] }))),
];
export const keywords = ['privileged', 'security', 'securityContext', 'root', 'host'];
