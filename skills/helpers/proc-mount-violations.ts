import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';
import { podSpecOf } from './pod-spec-of.ts';

/**
 * Containers whose securityContext.procMount unmasks /proc, as "container:procMount=Unmasked".
 *
 * Any procMount but "Default" counts. Level "baseline" lets a pod in a user namespace (spec.hostUsers:
 * false) do it, "restricted" does not.
 * The Pod Security Standards' "/proc Mount Type" control: check procMount at baseline (relaxed for
 * hostUsers: false since v1.35) and procMount_restricted at restricted (v1.35+). Any level other than
 * "baseline" is read as "restricted". Containers, init and ephemeral containers (allContainers); kinds as
 * podSpecOf; [] when none sets another procMount.
 */
export function procMountViolations(obj: K8sObject, level: string): string[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  if (level === 'baseline' && spec.hostUsers === false) return [];
  const out: string[] = [];
  allContainers(obj).forEach((c) => {
    const mount = c.securityContext && c.securityContext.procMount;
    if (mount !== undefined && mount !== null && mount !== 'Default') out.push(c.name + ':procMount=' + String(mount));
  });
  return out;
}
