import type { K8sObject } from '../types.ts';
import { ownValue } from './own-value.ts';

/**
 * The value of an annotation of an object, or undefined when the object, its annotations or the key are
 * missing.
 *
 * Reads the object's own metadata.annotations, of any kind: for a workload its own, not its pods'
 * (podMetadataOf(obj).annotations has those).
 */
export function annotationOf(obj: K8sObject, key: string): string | undefined {
  const annotations = obj && obj.metadata && obj.metadata.annotations;
  if (!annotations || typeof annotations !== 'object') return undefined;
  const value = ownValue(annotations, key);
  return typeof value === 'string' ? value : undefined;
}
