import type { K8sObject } from '../types.ts';
import { podSpecOf } from './pod-spec-of.ts';

/**
 * The sysctls a pod sets outside the Pod Security Standards' safe set (and `allowed`, optional).
 *
 * Reads spec.securityContext.sysctls[].name.
 * The baseline "Sysctls" control (check sysctls, v1.32+ set): kernel.shm_rmid_forced,
 * net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies,
 * net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time,
 * net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes,
 * net.ipv4.tcp_rmem, net.ipv4.tcp_wmem. Names compare literally. Kinds as podSpecOf; [] when none is
 * set or there is no pod spec.
 */
export function unsafeSysctls(obj: K8sObject, allowed?: string[]): string[] {
  const spec = podSpecOf(obj);
  const sysctls = spec && spec.securityContext && spec.securityContext.sysctls;
  if (!Array.isArray(sysctls)) return [];
  const safe = [
    'kernel.shm_rmid_forced',
    'net.ipv4.ip_local_port_range',
    'net.ipv4.ip_unprivileged_port_start',
    'net.ipv4.tcp_syncookies',
    'net.ipv4.ping_group_range',
    'net.ipv4.ip_local_reserved_ports',
    'net.ipv4.tcp_keepalive_time',
    'net.ipv4.tcp_fin_timeout',
    'net.ipv4.tcp_keepalive_intvl',
    'net.ipv4.tcp_keepalive_probes',
    'net.ipv4.tcp_rmem',
    'net.ipv4.tcp_wmem',
  ].concat(Array.isArray(allowed) ? allowed : []);
  return sysctls
    .map((s: { name?: unknown }) => (s && typeof s === 'object' ? String(s.name) : String(s)))
    .filter((name: string) => safe.indexOf(name) < 0);
}
