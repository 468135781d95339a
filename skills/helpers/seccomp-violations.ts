import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';
import { podSpecOf } from './pod-spec-of.ts';

/**
 * Seccomp settings the Pod Security Standards forbid at `level` ("baseline" | "restricted") on the pod or
 * its containers.
 *
 * A seccompProfile type other than RuntimeDefault or Localhost
 * ("spec.securityContext.seccompProfile.type=Unconfined",
 * "container:seccompProfile.type=Unconfined"); at "restricted" also each container with no profile
 * while the pod sets no valid one ("container:seccompProfile unset").
 * The "Seccomp" controls: check seccompProfile_baseline (v1.19+ fields) and seccompProfile_restricted,
 * which exempts Windows pods (spec.os.name: windows) since v1.25. Any level other than "baseline" is
 * read as "restricted". Reads spec.securityContext.seccompProfile and each container's (init and
 * ephemeral included, allContainers); a profile without a valid type counts. Kinds as podSpecOf; [] when
 * nothing is wrong or there is no pod spec.
 */
export function seccompViolations(obj: K8sObject, level: string): string[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  const restricted = level !== 'baseline';
  if (restricted && spec.os && spec.os.name === 'windows') return [];
  const valid = (p: K8sObject) => !!p && (p.type === 'RuntimeDefault' || p.type === 'Localhost');
  const out: string[] = [];
  const podProfile = spec.securityContext && spec.securityContext.seccompProfile;
  const podSet = podProfile !== undefined && podProfile !== null;
  if (podSet && !valid(podProfile)) out.push('spec.securityContext.seccompProfile.type=' + String(podProfile && podProfile.type));
  allContainers(obj).forEach((c) => {
    const profile = c.securityContext && c.securityContext.seccompProfile;
    if (profile !== undefined && profile !== null) {
      if (!valid(profile)) out.push(c.name + ':seccompProfile.type=' + String(profile && profile.type));
    } else if (restricted && !(podSet && valid(podProfile))) {
      out.push(c.name + ':seccompProfile unset');
    }
  });
  return out;
}
