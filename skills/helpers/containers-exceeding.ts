import type { K8sObject } from '../types.ts';
import { parseQuantity } from './parse-quantity.ts';
import { podSpecOf } from './pod-spec-of.ts';

/**
 * Names of the containers and init containers whose request or limit (section "requests" | "limits")
 * of a resource ("cpu", "memory", …) is above `max` (a quantity such as "2" or "4Gi"); unset ones are not.
 * An unparsable value counts as exceeding.
 */
export function containersExceeding(obj: K8sObject, section: string, resource: string, max: string): string[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  const limit = parseQuantity(max);
  const out: string[] = [];
  const groups = [spec.containers, spec.initContainers];
  for (let g = 0; g < groups.length; g++) {
    const items = groups[g];
    if (!Array.isArray(items)) continue;
    for (let i = 0; i < items.length; i++) {
      const c = items[i] || {};
      const value = c.resources && c.resources[section] && c.resources[section][resource];
      if (value === undefined || value === null || value === '') continue;
      const amount = parseQuantity(value);
      if (isNaN(amount) || amount > limit) out.push(String(c.name));
    }
  }
  return out;
}
