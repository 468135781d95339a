import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';

/**
 * The capabilities from the deny-list `denied` that containers add, as "container:CAPABILITY".
 *
 * Names are normalised on both sides (case, CAP_ prefix), and adding "ALL" matches every denied capability.
 * For "deny NET_ADMIN and SYS_ADMIN": "net_admin", "CAP_NET_ADMIN" and "ALL" are all caught (reported as
 * NET_ADMIN, SYS_ADMIN, or ALL). For an allow-list ("only NET_BIND_SERVICE may be added") use
 * addedCapabilities, which compares literally. Reads securityContext.capabilities.add of every
 * container, init and ephemeral container of a Pod or any pod-bearing kind (allContainers); [] when
 * nothing denied is added.
 */
export function capabilitiesAddedFrom(obj: K8sObject, denied: string[]): string[] {
  const norm = (cap: unknown) => String(cap).toUpperCase().replace(/^CAP_/, '');
  const bad = (Array.isArray(denied) ? denied : []).map(norm);
  const out: string[] = [];
  allContainers(obj).forEach((c) => {
    const add = c.securityContext && c.securityContext.capabilities && c.securityContext.capabilities.add;
    if (!Array.isArray(add)) return;
    add.forEach((cap: unknown) => {
      const name = norm(cap);
      if (bad.indexOf(name) >= 0 || (name === 'ALL' && bad.length > 0)) out.push(c.name + ':' + name);
    });
  });
  return out;
}
