import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';
import { podSpecOf } from './pod-spec-of.ts';

/**
 * Where runAsUser is 0 (root): "spec.securityContext.runAsUser=0" for the pod, and container names.
 *
 * The restricted "Running as Non-root user" control (check runAsUser, v1.23+): only non-zero or unset
 * runAsUser values are allowed; a pod in a user namespace (spec.hostUsers: false) is exempt (v1.35+).
 * Containers, init and ephemeral containers (allContainers); kinds as podSpecOf; [] when none sets 0.
 */
export function runAsUserZero(obj: K8sObject): string[] {
  const spec = podSpecOf(obj);
  if (!spec || spec.hostUsers === false) return [];
  const out: string[] = [];
  if (spec.securityContext && spec.securityContext.runAsUser === 0) out.push('spec.securityContext.runAsUser=0');
  allContainers(obj).forEach((c) => {
    if (c.securityContext && c.securityContext.runAsUser === 0) out.push(String(c.name));
  });
  return out;
}
