import type { K8sObject } from '../types.ts';
import { podSpecOf } from './pod-spec-of.ts';
import { ownValue } from './own-value.ts';

/**
 * Names of the containers and init containers of a pod-bearing object that set no CPU or memory request
 * or limit: section "requests" or "limits", resource "cpu" or "memory" (ephemeral containers cannot set any).
 *
 * Kinds as podSpecOf; a value that is null or "" counts as unset (it is not checked to be a quantity:
 * see containersExceeding); [] when there is no pod spec.
 */
export function containersWithoutResource(obj: K8sObject, section: string, resource: string): string[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  const out: string[] = [];
  const groups = [spec.containers, spec.initContainers];
  for (let g = 0; g < groups.length; g++) {
    const items = groups[g];
    if (!Array.isArray(items)) continue;
    for (let i = 0; i < items.length; i++) {
      const c = items[i] || {};
      const value = ownValue(ownValue(c.resources, section), resource);
      if (value === undefined || value === null || value === '') out.push(String(c.name));
    }
  }
  return out;
}
