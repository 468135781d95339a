// Background deletion once a DELETE is admitted, and what the controllers do after it: finalizers
// and container contents make an object wait with a deletionTimestamp; the garbage collector, the
// namespace controller and the CRD finalizer run synchronously inside the write that triggers them.
import type { KubeObject } from '../../../lib/k8s/types.ts';
import type { ApiResource, UserInfo, WriteResult } from '../contracts.ts';
import { admitDelete, type AdmissionHooks } from './admission.ts';
import { containersOf, contentsOf, isContainer, isNamespace } from './containers.ts';
import { GARBAGE_COLLECTOR, NAMESPACE_CONTROLLER, orphanedDependents } from './gc.ts';
import { clone } from './json.ts';
import { rfc3339 } from './names.ts';
import type { Persistence } from './persistence.ts';
import type { ObjectStore, StoredObject } from './store.ts';
import { markDeleting } from './strategy.ts';

export class Deleter {
  constructor(
    private readonly store: ObjectStore,
    private readonly persistence: Persistence,
    private readonly now: () => number,
    private readonly hooks: () => AdmissionHooks,
  ) {}

  /** A DELETE request: admission first, then background deletion. */
  removeAs(stored: StoredObject, user: UserInfo): WriteResult {
    const { resource, object } = stored;
    const denied = admitDelete(this.hooks(), {
      operation: 'DELETE',
      resource,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      object: null,
      oldObject: object,
      user,
    });
    return denied ?? { ok: true, object: this.delete(stored) };
  }

  /** Removes the object from storage, then lets the garbage collector and terminating containers react. */
  erase(resource: ApiResource, object: KubeObject): KubeObject {
    const gone = this.persistence.erase(resource, object);
    const stored = { resource, object: gone };
    for (const dependent of orphanedDependents(this.store, stored)) {
      const current = this.current(dependent);
      if (current) this.removeAs(current, GARBAGE_COLLECTOR);
    }
    for (const container of containersOf(this.store, stored)) this.finalizeIfEmpty(container);
    return gone;
  }

  /** A terminating container goes once it has neither finalizers nor contents left. */
  finalizeIfEmpty(container: StoredObject | undefined): void {
    if (!container) return;
    const { metadata } = container.object;
    if (!metadata.deletionTimestamp || metadata.finalizers?.length) return;
    if (contentsOf(this.store, container.object).length === 0) this.erase(container.resource, container.object);
  }

  private delete(stored: StoredObject): KubeObject {
    const { resource, object } = stored;
    if (object.metadata.deletionTimestamp) return clone(object);
    if (!object.metadata.finalizers?.length && !isContainer(object)) return this.erase(resource, object);
    const terminating = clone(object);
    markDeleting(terminating, rfc3339(this.now()));
    const written = this.persistence.write('MODIFIED', resource, terminating);
    if (isContainer(written)) this.drain({ resource, object: written });
    return written;
  }

  /** The namespace controller deletes content through the API (admission included); the CRD finalizer deletes instances from storage. */
  private drain(container: StoredObject): void {
    for (const content of contentsOf(this.store, container.object)) {
      const current = this.current(content);
      if (!current) continue;
      if (isNamespace(container.object)) this.removeAs(current, NAMESPACE_CONTROLLER);
      else this.delete(current);
    }
    this.finalizeIfEmpty(this.current(container));
  }

  /** The stored version of an object, unless an earlier step of a cascade has removed it. */
  private current({ resource, object }: StoredObject): StoredObject | undefined {
    const stored = this.store.entry(resource, object.metadata.namespace, object.metadata.name ?? '');
    return stored?.object.metadata.uid === object.metadata.uid ? stored : undefined;
  }
}
