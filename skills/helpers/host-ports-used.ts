import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';

/** The host ports the containers of a pod-bearing object bind, as "container:port" ([] when none). */
export function hostPortsUsed(obj: K8sObject): string[] {
  const out: string[] = [];
  allContainers(obj).forEach((c) => {
    const ports = Array.isArray(c.ports) ? c.ports : [];
    ports.forEach((p: { hostPort?: number }) => {
      if (p && typeof p.hostPort === 'number' && p.hostPort > 0) out.push(c.name + ':' + p.hostPort);
    });
  });
  return out;
}
