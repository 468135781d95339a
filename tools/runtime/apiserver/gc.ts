// The garbage collector's background cascade: once an owner is gone, dependents that have no other
// live owner are deleted. Owners are matched by uid, with the GC's scope rules (a namespaced owner
// only counts for dependents in its own namespace).
import type { UserInfo } from '../contracts.ts';
import type { ObjectStore, StoredObject } from './store.ts';

export const GARBAGE_COLLECTOR: UserInfo = {
  username: 'system:serviceaccount:kube-system:generic-garbage-collector',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
};

export const NAMESPACE_CONTROLLER: UserInfo = {
  username: 'system:serviceaccount:kube-system:namespace-controller',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
};

function canOwn(owner: StoredObject, dependent: StoredObject): boolean {
  if (!owner.resource.namespaced) return true;
  return dependent.resource.namespaced && owner.object.metadata.namespace === dependent.object.metadata.namespace;
}

/** Dependents of an owner that was just removed from the store and that now have no live owner. */
export function orphanedDependents(store: ObjectStore, owner: StoredObject): StoredObject[] {
  const all = store.all();
  const live = new Map(all.map((stored) => [stored.object.metadata.uid, stored]));
  return all.filter((dependent) => {
    const references = dependent.object.metadata.ownerReferences ?? [];
    if (dependent.object.metadata.deletionTimestamp || !canOwn(owner, dependent)) return false;
    if (!references.some((reference) => reference.uid === owner.object.metadata.uid)) return false;
    return !references.some((reference) => {
      const other = live.get(reference.uid);
      return other !== undefined && canOwn(other, dependent);
    });
  });
}
