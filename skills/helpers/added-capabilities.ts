import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';

/**
 * The Linux capabilities containers add beyond `allowed`, as "container:CAPABILITY" (upper case, without
 * the CAP_ prefix, so "cap_net_admin" and "NET_ADMIN" are one). ALL counts as a capability of its own.
 */
export function addedCapabilities(obj: K8sObject, allowed: string[]): string[] {
  const norm = (cap: unknown) => String(cap).toUpperCase().replace(/^CAP_/, '');
  const ok = (allowed || []).map(norm);
  const out: string[] = [];
  allContainers(obj).forEach((c) => {
    const add = c.securityContext && c.securityContext.capabilities && c.securityContext.capabilities.add;
    if (!Array.isArray(add)) return;
    add.forEach((cap: unknown) => {
      const name = norm(cap);
      if (ok.indexOf(name) < 0) out.push(c.name + ':' + name);
    });
  });
  return out;
}
