// Objects whose deletion first empties what they contain, as the namespace controller and the CRD
// finalizer do: a Namespace holds its namespaced objects, a CRD holds its custom resources.
import type { KubeObject } from '../../../lib/k8s/types.ts';
import { CRD_RESOURCE, crdGroupResource, isCrd } from './crd.ts';
import type { ObjectStore, StoredObject } from './store.ts';

export const NAMESPACES = { group: '', resource: 'namespaces' };

export function isNamespace(object: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean {
  return object.apiVersion === 'v1' && object.kind === 'Namespace';
}

export function isContainer(object: KubeObject): boolean {
  return isNamespace(object) || isCrd(object);
}

export function contentsOf(store: ObjectStore, container: KubeObject): StoredObject[] {
  if (isNamespace(container)) {
    return store.all().filter((stored) => stored.resource.namespaced && stored.object.metadata.namespace === container.metadata.name);
  }
  const { group, resource } = crdGroupResource(container);
  return store.all().filter((stored) => stored.resource.group === group && stored.resource.resource === resource);
}

/** The CRD that defines a custom resource; undefined for built-in kinds. */
export function definitionOf(store: ObjectStore, resource: { group: string; resource: string }): StoredObject | undefined {
  return store.entry(CRD_RESOURCE, undefined, `${resource.resource}.${resource.group}`);
}

/** The containers an object lives in: its namespace and, for a custom resource, its CRD. */
export function containersOf(store: ObjectStore, stored: StoredObject): StoredObject[] {
  const namespace = stored.resource.namespaced ? store.entry(NAMESPACES, undefined, stored.object.metadata.namespace ?? '') : undefined;
  const definition = definitionOf(store, stored.resource);
  return [namespace, definition].filter((container): container is StoredObject => container !== undefined);
}
