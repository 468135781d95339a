import type { K8sObject } from '../types.ts';
import { labelOf } from './label-of.ts';

/**
 * Whether an object has a label, with a given value when `value` is passed (null-safe).
 *
 * The object's own labels (labelOf); an empty value counts as present when no `value` is asked for.
 */
export function hasLabel(obj: K8sObject, key: string, value?: string): boolean {
  const actual = labelOf(obj, key);
  return value === undefined ? actual !== undefined : actual === value;
}
