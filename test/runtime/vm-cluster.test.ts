import { describe, expect, it } from 'vitest';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import { runPolicyScript } from '../../tools/runtime/vm/index.ts';

// The natives against the real in-memory API server (the other tests use a fake Cluster).
describe('natives with InMemoryCluster', () => {
  it('create, get, list, update, remove round-trip as the jsPolicy service account', () => {
    const cluster = new InMemoryCluster({ objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }] });
    const outcome = runPolicyScript({
      policyName: 'cluster.test.com',
      request: {},
      cluster,
      javascript: `
        const cm = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'cm', namespace: 'ns', labels: {app: 'a'}}, data: {k: 'v'}};
        const made = create(cm);
        warn(String(made.ok));
        warn(get('ConfigMap', 'v1', 'ns/cm').data.k);
        warn(String(list('ConfigMap', 'v1', {namespace: 'ns', labelSelector: 'app=a'}).length));
        warn(String(list('ConfigMap', 'v1', {labelSelector: 'app=b'})));
        warn(String(create(cm).reason));
        warn(String(remove(made.object).ok));
        warn(String(get('ConfigMap', 'v1', 'ns/cm', {cache: 'smart'})));`,
    });
    expect(outcome).toMatchObject({ kind: 'completed', response: { warnings: ['true', 'v', '1', 'undefined', 'AlreadyExists', 'true', 'undefined'] } });
  });
});
