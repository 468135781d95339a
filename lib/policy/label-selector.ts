// metav1.LabelSelector matching (k8s.io/apimachinery labels.Selector semantics).
import type { LabelSelector } from '../k8s/types.ts';

/** True when the selector selects everything ({} or absent), as webhook selectors default. */
export function isEmptySelector(selector: LabelSelector | undefined | null): boolean {
  if (!selector) return true;
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/**
 * matchLabels AND every matchExpression. In: key present with a listed value; NotIn: key absent or value
 * not listed; Exists / DoesNotExist on the key. An unknown operator selects nothing (the API server rejects
 * such a selector when it is stored).
 */
export function matchesLabelSelector(selector: LabelSelector | undefined | null, labels: Record<string, string> | undefined | null): boolean {
  if (isEmptySelector(selector)) return true;
  const set = labels ?? {};
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(set, key);
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) {
    if (!has(key) || set[key] !== value) return false;
  }
  for (const requirement of selector?.matchExpressions ?? []) {
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        if (!has(requirement.key) || !values.includes(set[requirement.key] as string)) return false;
        break;
      case 'NotIn':
        if (has(requirement.key) && values.includes(set[requirement.key] as string)) return false;
        break;
      case 'Exists':
        if (!has(requirement.key)) return false;
        break;
      case 'DoesNotExist':
        if (has(requirement.key)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
