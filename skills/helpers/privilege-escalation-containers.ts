import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';

/**
 * Names of the containers (init and ephemeral included) that may escalate privileges: allowPrivilegeEscalation
 * is not false (Kubernetes defaults it to true), or the container is privileged.
 */
export function privilegeEscalationContainers(obj: K8sObject): string[] {
  return allContainers(obj)
    .filter((c) => {
      const sc = c.securityContext || {};
      return sc.privileged === true || sc.allowPrivilegeEscalation !== false;
    })
    .map((c) => String(c.name));
}
