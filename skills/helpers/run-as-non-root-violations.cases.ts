import { admit, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';
import { pssCases } from '../pss-fixtures/index.ts';

export const cases = [
  truthy('nothing set', 'runAsNonRootViolations(request.object).join(",")', '"a"', admit(pod({ containers: [{ name: 'a' }] }))),
  truthy('a non-zero runAsUser is not enough', 'runAsNonRootViolations(request.object).join(",")', '"a"', admit(pod({ containers: [{ name: 'a', securityContext: { runAsUser: 1000 } }] }))),
  truthy('pod-level true covers containers', 'runAsNonRootViolations(request.object).length === 0', 'true', admit(pod({ securityContext: { runAsNonRoot: true }, containers: [{ name: 'a' }] }))),
  truthy('pod false, container true', 'runAsNonRootViolations(request.object).join(",")', '"spec.securityContext.runAsNonRoot=false"', admit(pod({ securityContext: { runAsNonRoot: false }, containers: [{ name: 'a', securityContext: { runAsNonRoot: true } }] }))),
  truthy('container false overrides pod true', 'runAsNonRootViolations(request.object).join(",")', '"b"', admit(pod({ securityContext: { runAsNonRoot: true }, containers: [{ name: 'a' }, { name: 'b', securityContext: { runAsNonRoot: false } }] }))),
  truthy('user-namespace pods are exempt', 'runAsNonRootViolations(request.object).length === 0', 'true', admit(pod({ hostUsers: false, containers: [{ name: 'a' }] }))),
  truthy('ephemeral container', 'runAsNonRootViolations(request.object).join(",")', '"debug"', ephemeralUpdate(pod({ containers: [{ name: 'a', securityContext: { runAsNonRoot: true } }], ephemeralContainers: [{ name: 'debug' }] }))),
  ...kindCases('init container unset', 'runAsNonRootViolations(request.object).join(",")', '"i"', { initContainers: [{ name: 'i' }], containers: [{ name: 'a', securityContext: { runAsNonRoot: true } }] }),
  ...pssCases('runAsNonRootViolations(request.object).length', (f) => (f.check === 'runAsNonRoot' ? f.expect === 'fail' : f.level === 'restricted' && f.expect === 'pass' ? false : undefined)),
];
export const keywords = ['root', 'runAsNonRoot', 'non-root', 'user', 'security', 'securityContext', 'pss', 'restricted'];
