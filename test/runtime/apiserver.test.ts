import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, KubeObject } from '../../lib/k8s/types.ts';
import type { WatchEvent } from '../../tools/runtime/contracts.ts';
import { InMemoryCluster, namespace } from '../../tools/runtime/apiserver/index.ts';
import { configMap, FIXED_NOW, widget, widgetCrd } from './apiserver-fixtures.ts';

function cluster(objects: KubeObject[] = []): InMemoryCluster {
  return new InMemoryCluster({ now: () => FIXED_NOW, objects: [namespace('default'), ...objects] });
}

function created(c: InMemoryCluster, object: KubeObject): KubeObject {
  const result = c.create(object);
  if (!result.ok) throw new Error(result.message);
  return result.object;
}

function recordEvents(c: InMemoryCluster): WatchEvent[] {
  const events: WatchEvent[] = [];
  c.watch((event) => events.push(event));
  return events;
}

describe('discovery', () => {
  it('serves the built-in table and every served version of a CRD', () => {
    const c = cluster([widgetCrd()]);
    expect(c.resourceFor('apps/v1', 'Deployment')).toMatchObject({ resource: 'deployments', namespaced: true, statusSubresource: true });
    expect(c.resourceFor('v1', 'ConfigMap')).toMatchObject({ group: '', statusSubresource: false });
    expect(c.resources().filter((r) => r.group === 'example.com')).toEqual([
      { group: 'example.com', version: 'v1', kind: 'Widget', resource: 'widgets', namespaced: true, statusSubresource: true },
      { group: 'example.com', version: 'v1beta1', kind: 'Widget', resource: 'widgets', namespaced: true, statusSubresource: true },
    ]);
    expect(c.resourceFor('example.com/v2', 'Widget')).toBeUndefined();
  });

  it('establishes a CRD at once and defaults its names', () => {
    const crd = created(cluster(), widgetCrd());
    const status = crd.status as { conditions: Array<{ type: string; status: string }>; acceptedNames: Record<string, string>; storedVersions: string[] };
    expect(status.conditions.map((c) => [c.type, c.status])).toEqual([
      ['NamesAccepted', 'True'],
      ['Established', 'True'],
    ]);
    expect(status.acceptedNames).toEqual({ kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' });
    expect(status.storedVersions).toEqual(['v1']);
  });

  it('rejects a CRD whose name is not <plural>.<group>', () => {
    const crd = widgetCrd();
    crd.metadata.name = 'widgets';
    expect(cluster().create(crd)).toEqual({
      ok: false,
      code: 422,
      reason: 'Invalid',
      message:
        'CustomResourceDefinition.apiextensions.k8s.io "widgets" is invalid: metadata.name: Invalid value: "widgets": must be spec.names.plural+"."+spec.group',
    });
  });

  it('answers the REST mapper error, without reason, for kinds it does not serve', () => {
    const c = cluster();
    const expected = { ok: false, code: 404, reason: '', message: 'no matches for kind "Widget" in version "example.com/v1"' };
    expect(c.create(widget('w'))).toEqual(expected);
    expect(c.update(widget('w'))).toEqual(expected);
    expect(c.remove('example.com/v1', 'Widget', 'default', 'w')).toEqual(expected);
    expect(() => c.get('example.com/v1', 'Widget', 'default', 'w')).toThrow(expected.message);
    expect(() => c.list('example.com/v1', 'Widget')).toThrow(expected.message);
  });
});

describe('create', () => {
  it('sets the system metadata', () => {
    const object = created(cluster(), configMap('a'));
    expect(object.metadata).toMatchObject({ name: 'a', namespace: 'default', generation: 1, creationTimestamp: '2024-05-01T12:00:00Z' });
    expect(object.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(object.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('draws resourceVersions from one increasing counter across kinds', () => {
    const c = cluster();
    const versions = [created(c, configMap('a')), created(c, namespace('other')), created(c, configMap('b'))].map((o) =>
      Number(o.metadata.resourceVersion),
    );
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(3);
  });

  it('generates a name from generateName', () => {
    const object = created(cluster(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-', namespace: 'default' } });
    expect(object.metadata.name).toMatch(/^cm-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('requires a name', () => {
    expect(cluster().create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'default' } })).toEqual({
      ok: false,
      code: 422,
      reason: 'Invalid',
      message: 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
    });
  });

  it('requires an existing namespace for namespaced kinds', () => {
    const c = cluster();
    expect(c.create(configMap('a', 'nope'))).toEqual({ ok: false, code: 404, reason: 'NotFound', message: 'namespaces "nope" not found' });
    const noNamespace = configMap('a');
    delete noNamespace.metadata.namespace;
    expect(c.create(noNamespace)).toMatchObject({ ok: false, code: 422, reason: 'Invalid' });
  });

  it('drops the namespace of cluster-scoped kinds', () => {
    const role = created(cluster(), { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r', namespace: 'default' } });
    expect(role.metadata.namespace).toBeUndefined();
  });

  it('answers AlreadyExists with the group-qualified resource', () => {
    const c = cluster([widgetCrd(), configMap('a'), widget('w')]);
    expect(c.create(configMap('a'))).toEqual({ ok: false, code: 409, reason: 'AlreadyExists', message: 'configmaps "a" already exists' });
    expect(c.create(widget('w'))).toEqual({ ok: false, code: 409, reason: 'AlreadyExists', message: 'widgets.example.com "w" already exists' });
  });

  it('refuses a resourceVersion, as the storage layer does', () => {
    const object = configMap('a');
    object.metadata.resourceVersion = '5';
    expect(cluster().create(object)).toEqual({ ok: false, code: 500, reason: '', message: 'resourceVersion should not be set on objects to be created' });
  });

  it('drops a submitted status when the kind has a status subresource, keeps it otherwise', () => {
    const withSubresource = cluster([widgetCrd()]);
    expect(created(withSubresource, { ...widget('w'), status: { ready: true } }).status).toBeUndefined();
    const without = cluster([widgetCrd({ status: false })]);
    expect(created(without, { ...widget('w'), status: { ready: true } }).status).toEqual({ ready: true });
  });

  it('labels namespaces with their name on create and update', () => {
    const c = cluster();
    const ns = created(c, namespace('team', { owner: 'me' }));
    expect(ns.metadata.labels).toEqual({ owner: 'me', 'kubernetes.io/metadata.name': 'team' });
    expect(ns.status).toEqual({ phase: 'Active' });
    const result = c.update({ ...ns, metadata: { ...ns.metadata, labels: { owner: 'you' } } });
    expect(result.ok && result.object.metadata.labels).toEqual({ owner: 'you', 'kubernetes.io/metadata.name': 'team' });
  });

  it('preloads CRDs and Namespaces before the objects that need them', () => {
    const c = new InMemoryCluster({ objects: [widget('w', {}, 'team'), widgetCrd(), namespace('team')] });
    expect(c.get('example.com/v1', 'Widget', 'team', 'w')).toBeDefined();
  });
});

describe('update', () => {
  it('answers NotFound for a missing object', () => {
    expect(cluster().update(configMap('missing'))).toEqual({ ok: false, code: 404, reason: 'NotFound', message: 'configmaps "missing" not found' });
  });

  it('answers Conflict for a stale resourceVersion and accepts an unconditional write', () => {
    const c = cluster([widgetCrd()]);
    const first = created(c, widget('w'));
    const second = c.update({ ...first, spec: { size: 2 } });
    expect(second.ok).toBe(true);
    expect(c.update({ ...first, spec: { size: 3 } })).toEqual({
      ok: false,
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on widgets.example.com "w": the object has been modified; please apply your changes to the latest version and try again',
    });
    // Custom resources are never updated unconditionally (customResourceStrategy.AllowUnconditionalUpdate).
    expect(c.update({ ...widget('w', { size: 4 }) })).toMatchObject({
      ok: false,
      code: 422,
      reason: 'Invalid',
      message: 'widgets.example.com "w" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update',
    });
  });

  it('keeps uid and creationTimestamp and bumps generation only for spec changes', () => {
    let clock = FIXED_NOW;
    const c = new InMemoryCluster({ now: () => clock, objects: [namespace('default'), widgetCrd()] });
    const original = created(c, widget('w'));
    clock += 60_000;
    const labelled = c.update({ ...original, metadata: { ...original.metadata, labels: { a: 'b' }, uid: 'forged', creationTimestamp: 'x' } });
    if (!labelled.ok) throw new Error(labelled.message);
    expect(labelled.object.metadata).toMatchObject({ uid: original.metadata.uid, creationTimestamp: original.metadata.creationTimestamp, generation: 1 });
    expect(labelled.object.metadata.resourceVersion).not.toBe(original.metadata.resourceVersion);
    const resized = c.update({ ...labelled.object, spec: { size: 9 } });
    expect(resized.ok && resized.object.metadata.generation).toBe(2);
  });

  it('ignores .status on a PUT when the kind has a status subresource', () => {
    const c = cluster([widgetCrd()]);
    const w = created(c, widget('w'));
    const withStatus = c.updateStatus({ ...w, status: { ready: true } });
    if (!withStatus.ok) throw new Error(withStatus.message);
    const result = c.update({ ...withStatus.object, status: { ready: false }, spec: { size: 2 } });
    expect(result.ok && result.object.status).toEqual({ ready: true });
    expect(result.ok && result.object.spec).toEqual({ size: 2 });
  });

  it('does not write a no-op update: same resourceVersion, no event', () => {
    const c = cluster([widgetCrd()]);
    const w = created(c, widget('w'));
    const events = recordEvents(c);
    const result = c.update({ ...w, status: { ignored: true } });
    expect(result).toEqual({ ok: true, object: w });
    expect(events).toEqual([]);
  });
});

describe('updateStatus', () => {
  it('changes only .status and keeps the generation', () => {
    const c = cluster([widgetCrd()]);
    const w = created(c, widget('w'));
    const result = c.updateStatus({ ...w, metadata: { ...w.metadata, labels: { ignored: 'yes' } }, spec: { size: 99 }, status: { phase: 'Ready' } });
    if (!result.ok) throw new Error(result.message);
    expect(result.object.status).toEqual({ phase: 'Ready' });
    expect(result.object.spec).toEqual({ size: 1 });
    expect(result.object.metadata.labels).toBeUndefined();
    expect(result.object.metadata.generation).toBe(1);
    expect(c.get('example.com/v1', 'Widget', 'default', 'w')?.status).toEqual({ phase: 'Ready' });
  });

  it('applies the resourceVersion precondition', () => {
    const c = cluster([widgetCrd()]);
    const w = created(c, widget('w'));
    c.update({ ...w, spec: { size: 2 } });
    expect(c.updateStatus({ ...w, status: { phase: 'Ready' } })).toMatchObject({ ok: false, code: 409, reason: 'Conflict' });
  });

  it('is not served for kinds without a status subresource', () => {
    const c = cluster([configMap('a')]);
    expect(c.updateStatus({ ...configMap('a'), status: {} })).toEqual({
      ok: false,
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
  });
});

describe('reads', () => {
  it('hands out copies, never the stored objects', () => {
    const c = cluster([configMap('a', 'default', { k: 'v' })]);
    const first = c.get('v1', 'ConfigMap', 'default', 'a') as KubeObject;
    (first.data as Record<string, string>).k = 'changed';
    c.list('v1', 'ConfigMap')[0].metadata.name = 'changed';
    expect(c.get('v1', 'ConfigMap', 'default', 'a')?.data).toEqual({ k: 'v' });
  });

  it('filters namespaced kinds by namespace and ignores it for cluster-scoped ones', () => {
    const c = cluster([namespace('other'), configMap('a'), configMap('b', 'other')]);
    expect(c.list('v1', 'ConfigMap', { namespace: 'other' }).map((o) => o.metadata.name)).toEqual(['b']);
    expect(c.list('v1', 'ConfigMap').map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(c.list('v1', 'Namespace', { namespace: 'other' })).toHaveLength(2);
    expect(c.get('v1', 'ConfigMap', undefined, 'a')).toBeUndefined();
  });

  it('filters by label selector and rejects invalid selectors', () => {
    const c = cluster([configMap('a', 'default', {}, { tier: 'web' }), configMap('b', 'default', {}, { tier: 'db' }), configMap('c')]);
    expect(c.list('v1', 'ConfigMap', { labelSelector: 'tier in (web,db),tier!=db' }).map((o) => o.metadata.name)).toEqual(['a']);
    expect(c.list('v1', 'ConfigMap', { labelSelector: '!tier' }).map((o) => o.metadata.name)).toEqual(['c']);
    expect(() => c.list('v1', 'ConfigMap', { labelSelector: 'tier in web' })).toThrow(/invalid label selector "tier in web"/);
  });

  it('reads one stored object through every served version', () => {
    const c = cluster([widgetCrd(), widget('w')]);
    expect(c.get('example.com/v1beta1', 'Widget', 'default', 'w')?.apiVersion).toBe('example.com/v1beta1');
  });
});

describe('watch', () => {
  it('reports each change in order and stops after unsubscribe', () => {
    const c = cluster();
    const events: string[] = [];
    const stop = c.watch((e) => events.push(`${e.type} ${e.object.metadata.name}`));
    const a = created(c, configMap('a'));
    c.update({ ...a, data: { k: 'v' } });
    c.remove('v1', 'ConfigMap', 'default', 'a');
    stop();
    created(c, configMap('b'));
    expect(events).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
  });

  it('delivers events caused by a listener after the one being delivered, to every listener', () => {
    const c = cluster();
    const seen: string[] = [];
    c.watch((e) => {
      if (e.object.metadata.name === 'a') c.create(configMap('b'));
    });
    c.watch((e) => seen.push(e.object.metadata.name ?? ''));
    created(c, configMap('a'));
    expect(seen).toEqual(['a', 'b']);
  });
});

describe('admission', () => {
  it('builds AdmissionRequests as the API server sends them', () => {
    const c = cluster([widgetCrd()]);
    const requests: AdmissionRequest[] = [];
    c.setAdmission({ validating: (request) => (requests.push(request), { allowed: true }) });
    const w = created(c, widget('w'));
    c.updateStatus({ ...w, status: { phase: 'Ready' } }, { username: 'alice', groups: ['devs'] });
    c.remove('example.com/v1', 'Widget', 'default', 'w');
    expect(requests.map((r) => [r.operation, r.subResource, r.object === null, r.oldObject === null, r.userInfo.username])).toEqual([
      ['CREATE', undefined, false, true, 'system:admin'],
      ['UPDATE', 'status', false, false, 'alice'],
      ['DELETE', undefined, true, false, 'system:admin'],
    ]);
    expect(requests[0]).toMatchObject({
      kind: { group: 'example.com', version: 'v1', kind: 'Widget' },
      resource: { group: 'example.com', version: 'v1', resource: 'widgets' },
      name: 'w',
      namespace: 'default',
      userInfo: { username: 'system:admin', groups: ['system:masters'] },
      dryRun: false,
      options: null,
    });
    expect(new Set(requests.map((r) => r.uid)).size).toBe(3);
    expect(requests[1].object?.status).toEqual({ phase: 'Ready' });
  });

  it('omits the namespace for cluster-scoped kinds', () => {
    const c = cluster();
    let request: AdmissionRequest | undefined;
    c.setAdmission({ mutating: (r) => ((request = r), { allowed: true }) });
    created(c, namespace('x'));
    expect(request && 'namespace' in request).toBe(false);
  });

  it('stores nothing and emits nothing when a hook denies', () => {
    const c = cluster([configMap('a')]);
    const events = recordEvents(c);
    const message = 'admission webhook "deny.example.com" denied the request: no';
    c.setAdmission({ validating: () => ({ allowed: false, message }) });
    expect(c.create(configMap('b'))).toEqual({ ok: false, code: 403, reason: 'Forbidden', message });
    expect(c.update({ ...configMap('a'), data: { k: 'v' } })).toEqual({ ok: false, code: 403, reason: 'Forbidden', message });
    c.setAdmission({ mutating: () => ({ allowed: false, code: 400, reason: 'BadRequest', message }) });
    expect(c.remove('v1', 'ConfigMap', 'default', 'a')).toEqual({ ok: false, code: 400, reason: 'BadRequest', message });
    expect(c.list('v1', 'ConfigMap').map((o) => [o.metadata.name, o.data])).toEqual([['a', {}]]);
    expect(events).toEqual([]);
  });

  it('continues with the mutating hook patch', () => {
    const c = cluster();
    c.setAdmission({
      mutating: (request) => ({ allowed: true, patchedObject: { ...(request.object as KubeObject), data: { injected: 'yes' } } }),
      validating: (request) => ({ allowed: (request.object?.data as Record<string, string>).injected === 'yes' }),
    });
    expect(created(c, configMap('a')).data).toEqual({ injected: 'yes' });
  });
});
