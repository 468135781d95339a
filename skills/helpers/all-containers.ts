import type { Container, K8sObject } from '../types.ts';
import { podSpecOf } from './pod-spec-of.ts';

/**
 * All containers of any pod-bearing object: containers, then initContainers, then ephemeralContainers;
 * [] when there are none. The entries are the object's own (changing one changes the object).
 *
 * Kinds as podSpecOf: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
 * CronJob, PodTemplate. Ephemeral containers arrive on UPDATE of pods/ephemeralcontainers (kubectl
 * debug): a container check should match that subresource too. Entries that are not objects are
 * skipped; [] for any other kind or no object.
 */
export function allContainers(obj: K8sObject): Container[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  const out: Container[] = [];
  const groups = [spec.containers, spec.initContainers, spec.ephemeralContainers];
  for (let g = 0; g < groups.length; g++) {
    const items = groups[g];
    if (Array.isArray(items)) for (let i = 0; i < items.length; i++) if (items[i] && typeof items[i] === 'object') out.push(items[i]);
  }
  return out;
}
