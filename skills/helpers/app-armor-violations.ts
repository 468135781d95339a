import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';
import { podMetadataOf } from './pod-metadata-of.ts';
import { podSpecOf } from './pod-spec-of.ts';
import { ownValue } from './own-value.ts';

/**
 * Where the pod or its containers override or disable the default AppArmor profile.
 *
 * Returns "spec.securityContext.appArmorProfile.type=Unconfined", container names, or "container:annotation
 * KEY=VALUE".
 * Flagged: an appArmorProfile whose type is not RuntimeDefault or Localhost, and AppArmor annotations
 * whose value is not runtime/default, localhost/* or empty.
 *
 * The Pod Security Standards' baseline "AppArmor" control (check appArmorProfile): reads
 * spec.securityContext.appArmorProfile, each container's securityContext.appArmorProfile (init and
 * ephemeral included) and the pods' annotations container.apparmor.security.beta.kubernetes.io/<name>
 * (podMetadataOf: a workload's template annotations). An appArmorProfile without a valid type counts.
 * Kinds as podSpecOf; [] when nothing is set, or there is no pod spec.
 */
export function appArmorViolations(obj: K8sObject): string[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  const out: string[] = [];
  const bad = (profile: K8sObject) => profile !== undefined && profile !== null && !(profile && (profile.type === 'RuntimeDefault' || profile.type === 'Localhost'));
  const psc = spec.securityContext;
  if (psc && bad(psc.appArmorProfile)) out.push('spec.securityContext.appArmorProfile.type=' + String(psc.appArmorProfile && psc.appArmorProfile.type));
  allContainers(obj).forEach((c) => {
    if (c.securityContext && bad(c.securityContext.appArmorProfile)) out.push(String(c.name));
  });
  const meta = podMetadataOf(obj);
  const annotations = (meta && meta.annotations) || {};
  const prefix = 'container.apparmor.security.beta.kubernetes.io/';
  Object.keys(annotations)
    .sort()
    .forEach((key) => {
      const value = String(ownValue(annotations, key));
      if (key.indexOf(prefix) !== 0) return;
      if (value === '' || value === 'runtime/default' || value.indexOf('localhost/') === 0) return;
      out.push(key.slice(prefix.length) + ':annotation ' + key + '=' + value);
    });
  return out;
}
