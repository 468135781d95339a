import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';

/**
 * The Linux capabilities containers add beyond the allow-list `allowed` (compared literally), as
 * "container:CAPABILITY".
 *
 * The reported name is upper-cased without CAP_, so a deny-list can match it.
 * An allow-list compares as the Pod Security Standards do: only a name written exactly as in `allowed`
 * passes, so "cap_net_bind_service" or "net_bind_service" is reported (as NET_BIND_SERVICE) even when
 * "NET_BIND_SERVICE" is allowed, and "ALL" is a capability of its own. To deny given capabilities
 * instead, use capabilitiesAddedFrom (it normalises). Reads securityContext.capabilities.add of every
 * container, init and ephemeral container of a Pod or any pod-bearing kind (allContainers); [] when
 * none adds any, or the object has no pod spec.
 */
export function addedCapabilities(obj: K8sObject, allowed: string[]): string[] {
  const ok = Array.isArray(allowed) ? allowed : [];
  const out: string[] = [];
  allContainers(obj).forEach((c) => {
    const add = c.securityContext && c.securityContext.capabilities && c.securityContext.capabilities.add;
    if (!Array.isArray(add)) return;
    add.forEach((cap: unknown) => {
      if (typeof cap === 'string' && ok.indexOf(cap) >= 0) return;
      out.push(c.name + ':' + String(cap).toUpperCase().replace(/^CAP_/, ''));
    });
  });
  return out;
}
