// Storing a change and announcing it are one step: each stored change takes the next revision and
// produces exactly one watch event, after the store holds the new state.
import type { KubeObject } from '../../../lib/k8s/types.ts';
import type { ApiResource } from '../contracts.ts';
import type { EventBroadcaster } from './events.ts';
import { clone } from './json.ts';
import type { ObjectStore } from './store.ts';

export class Persistence {
  constructor(
    private readonly store: ObjectStore,
    private readonly events: EventBroadcaster,
  ) {}

  /** Answers a copy of what was stored. */
  write(type: 'ADDED' | 'MODIFIED', resource: ApiResource, object: KubeObject): KubeObject {
    const stored = clone(object);
    stored.metadata.resourceVersion = this.store.nextResourceVersion();
    this.store.put(resource, stored);
    this.events.emit({ type, object: stored });
    return clone(stored);
  }

  /** The DELETED event carries the deletion's own revision, as etcd's watch does. */
  erase(resource: ApiResource, object: KubeObject): KubeObject {
    const gone = clone(object);
    gone.metadata.resourceVersion = this.store.nextResourceVersion();
    this.store.delete(resource, gone);
    this.events.emit({ type: 'DELETED', object: gone });
    return clone(gone);
  }
}
