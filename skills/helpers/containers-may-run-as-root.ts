import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';
import { podSpecOf } from './pod-spec-of.ts';

/**
 * Names of the containers (init and ephemeral included) that may run as root: runAsUser is 0, or neither
 * runAsNonRoot: true nor a non-zero runAsUser is set on the container or the pod's securityContext.
 *
 * The container's setting wins over the pod's. Looser than the restricted Pod Security Standard, which
 * wants runAsNonRoot: true whatever runAsUser says (runAsNonRootViolations, runAsUserZero). Kinds as
 * podSpecOf; [] when there is no pod spec.
 */
export function containersMayRunAsRoot(obj: K8sObject): string[] {
  const spec = podSpecOf(obj);
  const pod = (spec && spec.securityContext) || {};
  return allContainers(obj)
    .filter((c) => {
      const sc = c.securityContext || {};
      const user = sc.runAsUser !== undefined ? sc.runAsUser : pod.runAsUser;
      if (user === 0) return true;
      if (typeof user === 'number' && user > 0) return false;
      const nonRoot = sc.runAsNonRoot !== undefined ? sc.runAsNonRoot : pod.runAsNonRoot;
      return nonRoot !== true;
    })
    .map((c) => String(c.name));
}
