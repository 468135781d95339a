import type { K8sObject } from '../types.ts';
import { namespaceOf } from './namespace-of.ts';

/** Whether an admission request is in one of the given namespaces. */
export function isNamespaceIn(request: K8sObject, namespaces: string[]): boolean {
  return namespaces.indexOf(namespaceOf(request)) >= 0;
}
