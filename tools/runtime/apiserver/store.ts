// The "etcd" of the in-memory server: objects keyed by group, plural, namespace and name (not by
// version, so every served version of a resource reads the same object), plus the global revision.
import type { KubeObject } from '../../../lib/k8s/types.ts';
import type { ApiResource } from '../contracts.ts';

export interface StoredObject {
  resource: ApiResource;
  object: KubeObject;
}

function key(resource: Pick<ApiResource, 'group' | 'resource'>, namespace: string | undefined, name: string): string {
  return JSON.stringify([resource.group, resource.resource, namespace ?? '', name]);
}

export class ObjectStore {
  private readonly objects = new Map<string, StoredObject>();
  private revision = 0;

  /** Each write takes the next revision, as etcd's does. */
  nextResourceVersion(): string {
    this.revision += 1;
    return String(this.revision);
  }

  /** The live stored object: callers copy before handing it out. */
  get(resource: Pick<ApiResource, 'group' | 'resource'>, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.entry(resource, namespace, name)?.object;
  }

  entry(resource: Pick<ApiResource, 'group' | 'resource'>, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.objects.get(key(resource, namespace, name));
  }

  put(resource: ApiResource, object: KubeObject): void {
    this.objects.set(key(resource, object.metadata.namespace, object.metadata.name ?? ''), { resource, object });
  }

  delete(resource: ApiResource, object: KubeObject): void {
    this.objects.delete(key(resource, object.metadata.namespace, object.metadata.name ?? ''));
  }

  /** Every stored object, ordered by namespace then name like an etcd range read. */
  all(): StoredObject[] {
    return [...this.objects.values()].sort(
      (a, b) =>
        (a.object.metadata.namespace ?? '').localeCompare(b.object.metadata.namespace ?? '') ||
        (a.object.metadata.name ?? '').localeCompare(b.object.metadata.name ?? ''),
    );
  }

  /** Objects of one resource; a namespace narrows namespaced resources only. */
  list(resource: Pick<ApiResource, 'group' | 'resource' | 'namespaced'>, namespace?: string): KubeObject[] {
    return this.all()
      .filter((stored) => stored.resource.group === resource.group && stored.resource.resource === resource.resource)
      .filter((stored) => !resource.namespaced || namespace === undefined || stored.object.metadata.namespace === namespace)
      .map((stored) => stored.object);
  }
}
