import { isCoreEvent } from '../runtime/apiserver/core-events.ts';
import type { Cluster } from '../runtime/contracts.ts';

export interface WriteCounter {
  /** Writes so far: creates, updates, status PUTs and deletes made by the controller. */
  total(): number;
  /** Of those, the creates and updates of core/v1 Events (what `kubectl describe` lists). */
  events(): number;
  reset(): void;
}

/**
 * A view of the cluster that counts the writes made through it by `user` (jsPolicy's natives) and
 * every non-GET HTTP call (the controller's status PUTs). Everything else passes through.
 */
export function countingWrites(cluster: Cluster, user: string): { cluster: Cluster; counter: WriteCounter } {
  let writes = 0;
  let events = 0;
  const byUser = <A extends unknown[], R>(fn: (...args: A) => R, userIndex: number) => (...args: A): R => {
    if ((args[userIndex] as { username?: string } | undefined)?.username === user) {
      writes++;
      if (isCoreEvent(args[0] as { apiVersion?: unknown; kind?: unknown } | undefined)) events++;
    }
    return fn(...args);
  };
  const view: Cluster = {
    resources: () => cluster.resources(),
    resourceFor: (apiVersion, kind) => cluster.resourceFor(apiVersion, kind),
    get: (...args) => cluster.get(...args),
    list: (...args) => cluster.list(...args),
    create: byUser((object, as) => cluster.create(object, as), 1),
    update: byUser((object, as) => cluster.update(object, as), 1),
    updateStatus: byUser((object, as) => cluster.updateStatus(object, as), 1),
    remove: byUser((apiVersion, kind, namespace, name, as) => cluster.remove(apiVersion, kind, namespace, name, as), 4),
    handleHttp: (request) => {
      if (request.method.toUpperCase() !== 'GET') writes++;
      return cluster.handleHttp(request);
    },
    watch: (listener) => cluster.watch(listener),
    setAdmission: (hooks) => cluster.setAdmission(hooks),
  };
  const reset = () => {
    writes = 0;
    events = 0;
  };
  return { cluster: view, counter: { total: () => writes, events: () => events, reset } };
}
