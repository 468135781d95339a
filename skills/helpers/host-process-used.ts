import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';
import { podSpecOf } from './pod-spec-of.ts';

/**
 * Where a pod-bearing object asks for Windows HostProcess: the pod's or containers'
 * windowsOptions.hostProcess true.
 *
 * Returns "spec.securityContext.windowsOptions.hostProcess" for the pod and the names of the containers.
 * The Pod Security Standards' baseline "HostProcess" control (check windowsHostProcess) allows only
 * false or unset. Kinds as podSpecOf; containers, init and ephemeral containers (allContainers); []
 * when nothing asks for it or there is no pod spec.
 */
export function hostProcessUsed(obj: K8sObject): string[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  const out: string[] = [];
  const psc = spec.securityContext;
  if (psc && psc.windowsOptions && psc.windowsOptions.hostProcess === true) out.push('spec.securityContext.windowsOptions.hostProcess');
  allContainers(obj).forEach((c) => {
    const sc = c.securityContext;
    if (sc && sc.windowsOptions && sc.windowsOptions.hostProcess === true) out.push(String(c.name));
  });
  return out;
}
