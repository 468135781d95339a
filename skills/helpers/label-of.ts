import type { K8sObject } from '../types.ts';
import { ownValue } from './own-value.ts';

/**
 * The value of a label of an object, or undefined when the object, its labels or the label are missing.
 *
 * Reads the object's own metadata.labels, of any kind: for a workload its own labels, not its pods'
 * (podMetadataOf(obj).labels has those). A label whose value is not a string is undefined.
 */
export function labelOf(obj: K8sObject, key: string): string | undefined {
  const labels = obj && obj.metadata && obj.metadata.labels;
  if (!labels || typeof labels !== 'object') return undefined;
  const value = ownValue(labels, key);
  return typeof value === 'string' ? value : undefined;
}
