import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';
import { podSpecOf } from './pod-spec-of.ts';

/**
 * Names of the containers (init and ephemeral included) that may escalate privileges: allowPrivilegeEscalation
 * is not false (Kubernetes defaults it to true), or the container is privileged.
 *
 * The restricted Pod Security Standard's "Privilege Escalation" control (check allowPrivilegeEscalation):
 * securityContext.allowPrivilegeEscalation must be false on every container. Windows pods
 * (spec.os.name: windows) cannot set it and are exempt ([]), as since v1.25. Kinds as podSpecOf; []
 * when there is no pod spec.
 */
export function privilegeEscalationContainers(obj: K8sObject): string[] {
  const spec = podSpecOf(obj);
  if (spec && spec.os && spec.os.name === 'windows') return [];
  return allContainers(obj)
    .filter((c) => {
      const sc = c.securityContext || {};
      return sc.privileged === true || sc.allowPrivilegeEscalation !== false;
    })
    .map((c) => String(c.name));
}
