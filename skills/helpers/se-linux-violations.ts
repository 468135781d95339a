import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';
import { podSpecOf } from './pod-spec-of.ts';

/**
 * Forbidden SELinux options (a non-container type, any user or role) of the pod or its containers.
 *
 * Allowed types: container_t, container_init_t, container_kvm_t, container_engine_t. Returns
 * "spec.securityContext.seLinuxOptions.type=spc_t" for the pod and "container:type=spc_t" (":user=…",
 * ":role=…") for containers.
 * The Pod Security Standards' baseline "SELinux" control (check seLinuxOptions, v1.31+ types): reads
 * spec.securityContext.seLinuxOptions and each container's securityContext.seLinuxOptions (init and
 * ephemeral included); an unset or empty type is allowed, level is not checked. Kinds as podSpecOf;
 * [] when nothing forbidden is set.
 */
export function seLinuxViolations(obj: K8sObject): string[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  const types = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
  const out: string[] = [];
  const check = (opts: K8sObject, prefix: string) => {
    if (!opts || typeof opts !== 'object') return;
    const type = opts.type === undefined || opts.type === null ? '' : String(opts.type);
    if (types.indexOf(type) < 0) out.push(prefix + 'type=' + type);
    if (opts.user !== undefined && opts.user !== null && opts.user !== '') out.push(prefix + 'user=' + String(opts.user));
    if (opts.role !== undefined && opts.role !== null && opts.role !== '') out.push(prefix + 'role=' + String(opts.role));
  };
  check(spec.securityContext && spec.securityContext.seLinuxOptions, 'spec.securityContext.seLinuxOptions.');
  allContainers(obj).forEach((c) => check(c.securityContext && c.securityContext.seLinuxOptions, c.name + ':'));
  return out;
}
