import { admit, deployment, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';

export const cases = [
  truthy('nothing set', 'containersMayRunAsRoot(request.object).join(",")', '"a"', admit(pod({ containers: [{ name: 'a' }] }))),
  truthy('pod-level runAsNonRoot covers all', 'containersMayRunAsRoot(request.object).length === 0', 'true', admit(deployment({ securityContext: { runAsNonRoot: true }, containers: [{ name: 'a' }, { name: 'b' }] }))),
  truthy('container overrides pod', 'containersMayRunAsRoot(request.object).join(",")', '"b"', admit(pod({ securityContext: { runAsNonRoot: true }, containers: [{ name: 'a' }, { name: 'b', securityContext: { runAsUser: 0 } }] }))),
  truthy('non-zero user', 'containersMayRunAsRoot(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'a', securityContext: { runAsUser: 1000 } }] }))),
  truthy('ephemeral container', 'containersMayRunAsRoot(request.object).join(",")', '"debug"', ephemeralUpdate(pod({ containers: [{ name: 'a', securityContext: { runAsUser: 1000 } }], ephemeralContainers: [{ name: 'debug', image: 'busybox' }] }))),
  ...kindCases('init container as root', 'containersMayRunAsRoot(request.object).join(",")', '"i"', { securityContext: { runAsNonRoot: true }, initContainers: [{ name: 'i', securityContext: { runAsUser: 0 } }], containers: [{ name: 'a' }] }),
];
export const keywords = ['root', 'runAsNonRoot', 'runAsUser', 'non-root', 'user', 'uid', 'security', 'securityContext'];
