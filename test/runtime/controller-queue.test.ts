import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../tools/runtime/controller/queue.ts';
import { buildControllerRequest, formatKey, parseKey } from '../../tools/runtime/controller/request.ts';
import { resolveWatchedKinds } from '../../tools/runtime/controller/resolve.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import type { JsPolicy } from '../../lib/k8s/types.ts';

describe('WorkQueue', () => {
  it('de-duplicates queued keys and keeps FIFO order', () => {
    const q = new WorkQueue(() => 0);
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.snapshot().queued).toEqual(['a', 'b']);
    expect(q.pop()).toBe('a');
    q.add('a');
    expect(q.snapshot().queued).toEqual(['b', 'a']);
  });

  it('backs off 5 ms·2^n per key, capped at 1000 s, reset by forget', () => {
    let now = 0;
    const q = new WorkQueue(() => now);
    const delays = Array.from({ length: 20 }, () => q.addRateLimited('k'));
    expect(delays.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
    expect(delays[17]).toBe(655_360);
    expect(delays[18]).toBe(1_000_000);
    q.forget('k');
    expect(q.addRateLimited('k')).toBe(5);
    expect(q.addRateLimited('other')).toBe(5);
  });

  it('keeps the earlier due time and promotes due keys in order', () => {
    let now = 1000;
    const q = new WorkQueue(() => now);
    q.addAfter('late', 50);
    q.addAfter('early', 10);
    q.addAfter('late', 100);
    expect(q.nextDue()).toBe(1010);
    now = 1049;
    q.promoteDue(now);
    expect(q.snapshot().queued).toEqual(['early']);
    q.promoteDue(1050);
    expect(q.snapshot().queued).toEqual(['early', 'late']);
    expect(q.nextDue()).toBeUndefined();
  });
});

describe('controller keys and requests', () => {
  it('round-trips keys', () => {
    const key = { version: 'v1', group: '', kind: 'ConfigMap', namespace: 'ns', name: 'cm' };
    expect(formatKey(key)).toBe('v1||ConfigMap|ns|cm');
    expect(parseKey('v1||ConfigMap|ns|cm')).toEqual(key);
    expect(() => parseKey('nope')).toThrow(/invalid controller key/);
  });

  it('builds the exact request shape (section 5.3)', () => {
    const request = buildControllerRequest(
      { version: 'v1', group: '', kind: 'Namespace', namespace: '', name: 'test' },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test', labels: { z: '1', a: '2' } }, spec: {} },
    );
    expect(JSON.stringify(request)).toBe(
      '{"uid":"","kind":{"group":"","version":"v1","kind":"Namespace"},"resource":{"group":"","version":"","resource":""},' +
        '"name":"test","operation":"CREATE","userInfo":{},' +
        '"object":{"apiVersion":"v1","kind":"Namespace","metadata":{"labels":{"a":"2","z":"1"},"name":"test"},"spec":{}},' +
        '"oldObject":null,"options":null}',
    );
    const gone = buildControllerRequest({ version: 'v1', group: '', kind: 'ConfigMap', namespace: 'ns', name: 'cm' }, undefined);
    expect(gone).toMatchObject({ operation: 'DELETE', object: null, namespace: 'ns' });
    const terminating = buildControllerRequest(
      { version: 'v1', group: '', kind: 'ConfigMap', namespace: 'ns', name: 'cm' },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns', deletionTimestamp: '2024-01-01T00:00:00Z' } },
    );
    expect(terminating.operation).toBe('DELETE');
    expect(terminating.object).not.toBeNull();
  });
});

describe('resolveWatchedKinds', () => {
  const cluster = new InMemoryCluster();
  const policy = (spec: JsPolicy['spec']): JsPolicy => ({ apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicy', metadata: { name: 'c.example.com' }, spec: { type: 'Controller', ...spec } });

  it('resolves plural names, filtered by apiGroups', () => {
    const all = resolveWatchedKinds(policy({ resources: ['events'] }), cluster);
    expect(all.ok && all.kinds.map((k) => `${k.group}/${k.kind}`)).toEqual(['/Event', 'events.k8s.io/Event']);
    const core = resolveWatchedKinds(policy({ resources: ['events'], apiGroups: [''] }), cluster);
    expect(core.ok && core.kinds.map((k) => k.group)).toEqual(['']);
  });

  it.each<[string, JsPolicy['spec'], RegExp]>([
    ['no resources', { resources: [] }, /no resources/],
    ['wildcard', { resources: ['*'] }, /wildcard resources are not allowed for background policies/],
    ['unknown resource', { resources: ['widgets'] }, /get kinds for resource widgets/],
    ['filtered out', { resources: ['pods'], apiGroups: ['apps'] }, /no kinds found for resources \[pods\]/],
  ])('fails to start: %s', (_name, spec, message) => {
    const result = resolveWatchedKinds(policy(spec), cluster);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});
