import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, KubeObject, OwnerReference } from '../../lib/k8s/types.ts';
import { InMemoryCluster, namespace } from '../../tools/runtime/apiserver/index.ts';
import { configMap, FIXED_NOW, widget, widgetCrd } from './apiserver-fixtures.ts';

function setup(objects: KubeObject[] = []): { c: InMemoryCluster; events: string[] } {
  const c = new InMemoryCluster({ now: () => FIXED_NOW, objects: [namespace('default'), ...objects] });
  const events: string[] = [];
  c.watch((e) => events.push(`${e.type} ${e.object.kind}/${e.object.metadata.name}`));
  return { c, events };
}

function created(c: InMemoryCluster, object: KubeObject): KubeObject {
  const result = c.create(object);
  if (!result.ok) throw new Error(result.message);
  return result.object;
}

function ownedBy(object: KubeObject, ...owners: KubeObject[]): KubeObject {
  const ownerReferences: OwnerReference[] = owners.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name ?? '', uid: o.metadata.uid ?? '' }));
  return { ...object, metadata: { ...object.metadata, ownerReferences } };
}

const names = (c: InMemoryCluster) => c.list('v1', 'ConfigMap').map((o) => o.metadata.name);

describe('remove', () => {
  it('deletes at once without finalizers and answers the object', () => {
    const { c, events } = setup([configMap('a')]);
    const result = c.remove('v1', 'ConfigMap', 'default', 'a');
    expect(result.ok && result.object.metadata.name).toBe('a');
    expect(names(c)).toEqual([]);
    expect(events).toEqual(['DELETED ConfigMap/a']);
    expect(c.remove('v1', 'ConfigMap', 'default', 'a')).toEqual({ ok: false, code: 404, reason: 'NotFound', message: 'configmaps "a" not found' });
  });

  it('only marks an object with finalizers, and deletes it once an update empties them', () => {
    const { c, events } = setup([widgetCrd()]);
    created(c, { ...widget('w'), metadata: { name: 'w', namespace: 'default', finalizers: ['example.com/cleanup'] } });
    events.length = 0;
    const marked = c.remove('example.com/v1', 'Widget', 'default', 'w');
    if (!marked.ok) throw new Error(marked.message);
    expect(marked.object.metadata).toMatchObject({ deletionTimestamp: '2024-05-01T12:00:00Z', generation: 2 });
    expect(c.remove('example.com/v1', 'Widget', 'default', 'w')).toMatchObject({ ok: true });
    expect(events).toEqual(['MODIFIED Widget/w']);
    const stored = c.get('example.com/v1', 'Widget', 'default', 'w') as KubeObject;
    const released = c.update({ ...stored, metadata: { ...stored.metadata, finalizers: [] } });
    expect(released.ok).toBe(true);
    expect(c.get('example.com/v1', 'Widget', 'default', 'w')).toBeUndefined();
    expect(events).toEqual(['MODIFIED Widget/w', 'DELETED Widget/w']);
  });
});

describe('garbage collection', () => {
  it('deletes dependents transitively once their owner is gone', () => {
    const { c, events } = setup();
    const root = created(c, configMap('root'));
    const child = created(c, ownedBy(configMap('child'), root));
    created(c, ownedBy(configMap('grandchild'), child));
    created(c, configMap('unrelated'));
    events.length = 0;
    c.remove('v1', 'ConfigMap', 'default', 'root');
    expect(events).toEqual(['DELETED ConfigMap/root', 'DELETED ConfigMap/child', 'DELETED ConfigMap/grandchild']);
    expect(names(c)).toEqual(['unrelated']);
  });

  it('keeps a dependent that still has a live owner', () => {
    const { c } = setup();
    const first = created(c, configMap('first'));
    const second = created(c, configMap('second'));
    created(c, ownedBy(configMap('shared'), first, second));
    c.remove('v1', 'ConfigMap', 'default', 'first');
    expect(names(c)).toEqual(['second', 'shared']);
    c.remove('v1', 'ConfigMap', 'default', 'second');
    expect(names(c)).toEqual([]);
  });

  it('does not let a namespaced owner own a cluster-scoped dependent', () => {
    const { c } = setup();
    const owner = created(c, configMap('owner'));
    created(c, ownedBy({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } }, owner));
    c.remove('v1', 'ConfigMap', 'default', 'owner');
    expect(c.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, 'r')).toBeDefined();
  });

  it('waits for the dependent owner finalizers, then continues the cascade', () => {
    const { c } = setup();
    const root = created(c, configMap('root'));
    const child = created(c, ownedBy({ ...configMap('child'), metadata: { name: 'child', namespace: 'default', finalizers: ['f'] } }, root));
    created(c, ownedBy(configMap('grandchild'), child));
    c.remove('v1', 'ConfigMap', 'default', 'root');
    expect(names(c)).toEqual(['child', 'grandchild']);
    expect(c.get('v1', 'ConfigMap', 'default', 'child')?.metadata.deletionTimestamp).toBeDefined();
    const stored = c.get('v1', 'ConfigMap', 'default', 'child') as KubeObject;
    c.update({ ...stored, metadata: { ...stored.metadata, finalizers: [] } });
    expect(names(c)).toEqual([]);
  });

  it('deletes through admission as the garbage collector', () => {
    const { c } = setup();
    const root = created(c, configMap('root'));
    created(c, ownedBy(configMap('child'), root));
    const users: Array<string | undefined> = [];
    c.setAdmission({ validating: (r: AdmissionRequest) => (users.push(r.userInfo.username), { allowed: r.name !== 'child' }) });
    c.remove('v1', 'ConfigMap', 'default', 'root');
    expect(users).toEqual(['system:admin', 'system:serviceaccount:kube-system:generic-garbage-collector']);
    expect(names(c)).toEqual(['child']);
  });
});

describe('containers', () => {
  it('terminates a namespace: contents first, then the namespace', () => {
    const { c, events } = setup([namespace('team'), configMap('a', 'team'), configMap('b')]);
    events.length = 0;
    const result = c.remove('v1', 'Namespace', undefined, 'team');
    expect(result.ok && (result.object.status as { phase: string }).phase).toBe('Terminating');
    expect(events).toEqual(['MODIFIED Namespace/team', 'DELETED ConfigMap/a', 'DELETED Namespace/team']);
    expect(names(c)).toEqual(['b']);
  });

  it('keeps a namespace Terminating until finalized contents are gone, refusing new content', () => {
    const { c } = setup([namespace('team'), { ...configMap('a', 'team'), metadata: { name: 'a', namespace: 'team', finalizers: ['f'] } }]);
    c.remove('v1', 'Namespace', undefined, 'team');
    expect(c.get('v1', 'Namespace', undefined, 'team')?.metadata.deletionTimestamp).toBeDefined();
    expect(c.create(configMap('b', 'team'))).toEqual({
      ok: false,
      code: 403,
      reason: 'Forbidden',
      message: 'configmaps "b" is forbidden: unable to create new content in namespace team because it is being terminated',
    });
    const stored = c.get('v1', 'ConfigMap', 'team', 'a') as KubeObject;
    c.update({ ...stored, metadata: { ...stored.metadata, finalizers: [] } });
    expect(c.get('v1', 'Namespace', undefined, 'team')).toBeUndefined();
  });

  it('deletes the custom resources of a deleted CRD and stops serving it', () => {
    const { c, events } = setup([widgetCrd(), widget('w')]);
    events.length = 0;
    c.remove('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'widgets.example.com');
    expect(events).toEqual([
      'MODIFIED CustomResourceDefinition/widgets.example.com',
      'DELETED Widget/w',
      'DELETED CustomResourceDefinition/widgets.example.com',
    ]);
    expect(c.resourceFor('example.com/v1', 'Widget')).toBeUndefined();
  });
});
