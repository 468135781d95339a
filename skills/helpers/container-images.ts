import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';

/**
 * The images of all containers of a pod-bearing object (init and ephemeral containers included), in order.
 *
 * Kinds as podSpecOf (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
 * CronJob, PodTemplate); containers without an image (a string) are skipped; [] when there is no pod spec.
 */
export function containerImages(obj: K8sObject): string[] {
  return allContainers(obj)
    .map((c) => (typeof c.image === 'string' ? c.image : ''))
    .filter((image) => image !== '');
}
