import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';

/** The images of all containers of a pod-bearing object (init and ephemeral containers included), in order. */
export function containerImages(obj: K8sObject): string[] {
  return allContainers(obj)
    .map((c) => (typeof c.image === 'string' ? c.image : ''))
    .filter((image) => image !== '');
}
