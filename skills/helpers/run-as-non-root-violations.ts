import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';
import { podSpecOf } from './pod-spec-of.ts';

/**
 * Containers not required to run as non-root (runAsNonRoot true on them or the pod), as the restricted
 * standard wants.
 *
 * Returns "spec.securityContext.runAsNonRoot=false" for the pod, and the names of containers that set
 * runAsNonRoot false, or leave it unset while the pod does not set it true.
 * The restricted "Running as Non-root" control (check runAsNonRoot): runAsNonRoot must be true on the
 * pod or on every container; a non-zero runAsUser does not replace it (see containersMayRunAsRoot for
 * that looser reading). A pod in a user namespace (spec.hostUsers: false) is exempt (v1.35+). Containers,
 * init and ephemeral containers (allContainers); kinds as podSpecOf; [] when all is well.
 */
export function runAsNonRootViolations(obj: K8sObject): string[] {
  const spec = podSpecOf(obj);
  if (!spec || spec.hostUsers === false) return [];
  const out: string[] = [];
  const pod = spec.securityContext && spec.securityContext.runAsNonRoot;
  if (pod === false) out.push('spec.securityContext.runAsNonRoot=false');
  allContainers(obj).forEach((c) => {
    const own = c.securityContext && c.securityContext.runAsNonRoot;
    if (own === false || ((own === undefined || own === null) && pod !== true)) out.push(String(c.name));
  });
  return out;
}
