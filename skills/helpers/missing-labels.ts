import type { K8sObject } from '../types.ts';
import { labelOf } from './label-of.ts';

/**
 * The label keys from `keys` that an object lacks or has with an empty value, in the order given.
 *
 * The object's own labels (labelOf), of any kind; every key when the object has none.
 */
export function missingLabels(obj: K8sObject, keys: string[]): string[] {
  return keys.filter((key) => !labelOf(obj, key));
}
