import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';

/**
 * The host ports the containers of a pod-bearing object bind, as "container:port" ([] when none).
 *
 * Reads ports[].hostPort of containers, init and ephemeral containers (allContainers) of a Pod or any
 * pod-bearing kind (podSpecOf); unset, null and 0 mean no host port, any other value is listed — the
 * Pod Security Standards' baseline "Host Ports" control (check hostPorts).
 */
export function hostPortsUsed(obj: K8sObject): string[] {
  const out: string[] = [];
  allContainers(obj).forEach((c) => {
    const ports = Array.isArray(c.ports) ? c.ports : [];
    ports.forEach((p: { hostPort?: unknown }) => {
      if (p && p.hostPort !== undefined && p.hostPort !== null && p.hostPort !== 0) out.push(c.name + ':' + String(p.hostPort));
    });
  });
  return out;
}
