import type { K8sObject } from '../types.ts';
import { podSpecOf } from './pod-spec-of.ts';
import { quantityNanos } from './quantity-nanos.ts';
import { ownValue } from './own-value.ts';

/**
 * Names of the containers and init containers whose request or limit (section "requests" | "limits")
 * of a resource ("cpu", "memory", …) is above `max` (a quantity such as "2" or "4Gi").
 *
 * Compared exactly (quantityNanos: "700m" is not above "0.7").
 * Accepts Pod and every pod-bearing kind (podSpecOf); ephemeral containers cannot set resources and
 * are not read. A container without that value is not listed; a value that is not a quantity is
 * listed (it cannot be shown to be within `max`), and so is every set value when `max` itself is not
 * a quantity. [] for objects without a pod spec.
 */
export function containersExceeding(obj: K8sObject, section: string, resource: string, max: string): string[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  const limit = quantityNanos(max);
  const out: string[] = [];
  const groups = [spec.containers, spec.initContainers];
  for (let g = 0; g < groups.length; g++) {
    const items = groups[g];
    if (!Array.isArray(items)) continue;
    for (let i = 0; i < items.length; i++) {
      const c = items[i] || {};
      const value = ownValue(ownValue(c.resources, section), resource) as string | undefined | null;
      if (value === undefined || value === null || value === '') continue;
      const amount = quantityNanos(value);
      if (amount === null || limit === null || amount > limit) out.push(String(c.name));
    }
  }
  return out;
}
