import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';

/**
 * The hosts that probes and lifecycle hooks of containers target, as "container:host".
 *
 * Reads httpGet.host and tcpSocket.host of livenessProbe, readinessProbe, startupProbe and
 * lifecycle.postStart / preStop.
 * Such a host makes the kubelet connect elsewhere than the pod (the node, another service): the Pod
 * Security Standards' baseline "Host Probes / Lifecycle Hooks" control (check
 * hostProbesAndHostLifecycle, v1.34+) allows only "" or unset. Kinds as podSpecOf; containers, init and
 * ephemeral containers (allContainers); [] when none sets a host.
 */
export function probeHostsUsed(obj: K8sObject): string[] {
  const out: string[] = [];
  allContainers(obj).forEach((c) => {
    const lifecycle = c.lifecycle || {};
    const handlers = [c.livenessProbe, c.readinessProbe, c.startupProbe, lifecycle.postStart, lifecycle.preStop];
    handlers.forEach((h) => {
      if (!h || typeof h !== 'object') return;
      [h.httpGet, h.tcpSocket].forEach((action) => {
        if (action && typeof action === 'object' && action.host !== undefined && action.host !== null && action.host !== '') out.push(c.name + ':' + String(action.host));
      });
    });
  });
  return out;
}
