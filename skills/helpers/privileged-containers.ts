import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';

/**
 * Names of the containers (init and ephemeral included) that run privileged (securityContext.privileged: true).
 *
 * The Pod Security Standards' baseline "Privileged Containers" control (check privileged): only false
 * or unset is allowed. Kinds as podSpecOf (Pod and every pod-bearing workload); [] when none is
 * privileged or there is no pod spec.
 */
export function privilegedContainers(obj: K8sObject): string[] {
  return allContainers(obj)
    .filter((c) => c.securityContext && c.securityContext.privileged === true)
    .map((c) => String(c.name));
}
