import type { K8sObject } from '../types.ts';
import { addedCapabilities } from './added-capabilities.ts';
import { allContainers } from './all-containers.ts';
import { podSpecOf } from './pod-spec-of.ts';

/**
 * Capabilities the Pod Security Standards forbid at `level` ("baseline" | "restricted"), as
 * "container:CAPABILITY".
 *
 * At "baseline" any added capability outside the default set; at "restricted" any added one but
 * NET_BIND_SERVICE, and "container:drop ALL missing" when a container does not drop ALL.
 * The "Capabilities" controls: check capabilities_baseline (allowed: AUDIT_WRITE, CHOWN, DAC_OVERRIDE,
 * FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT) and
 * capabilities_restricted (v1.22+; Windows pods, spec.os.name: windows, exempt since v1.25). Names
 * compare literally as the standard does ("net_bind_service" or "CAP_CHOWN" is not allowed; "all" is not
 * ALL), and are reported normalised as addedCapabilities does. Any level other than "baseline" is read
 * as "restricted". Containers, init and ephemeral containers; kinds as podSpecOf; [] when all is well.
 */
export function capabilityViolations(obj: K8sObject, level: string): string[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  if (level === 'baseline') {
    return addedCapabilities(obj, ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
  }
  if (spec.os && spec.os.name === 'windows') return [];
  const out: string[] = [];
  allContainers(obj).forEach((c) => {
    const caps = c.securityContext && c.securityContext.capabilities;
    if (!caps || !Array.isArray(caps.drop) || caps.drop.indexOf('ALL') < 0) out.push(c.name + ':drop ALL missing');
  });
  return out.concat(addedCapabilities(obj, ['NET_BIND_SERVICE']));
}
