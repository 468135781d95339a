import { BUILTIN_RESOURCES, type ServedResource } from '../k8s/builtin-resources.ts';
import { crdToServedResources } from '../k8s/crd-resources.ts';
import type { KubeObject } from '../k8s/types.ts';
import type { Platform } from '../platform/platform.ts';

/**
 * Built-in kinds plus the cluster's CRDs, read uncached: a cached list would keep an informer over
 * every CRD in jsPolicy's memory. Read only on runs that check or preview a policy.
 */
export function discovery(platform: Platform): ServedResource[] {
  const crds = platform.listUncached<KubeObject>('CustomResourceDefinition', 'apiextensions.k8s.io/v1');
  return [...BUILTIN_RESOURCES, ...crds.flatMap(crdToServedResources)];
}
