import { describe, expect, it } from 'vitest';
import type { ServedResource } from '../../lib/k8s/builtin-resources.ts';
import type { KubeObject } from '../../lib/k8s/types.ts';
import { asCreate } from '../../lib/toolkit/preview.ts';

const PODS = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true } as ServedResource;
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false } as ServedResource;
const NOW = Date.parse('2026-03-04T05:06:07.890Z');

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-5d8f7-abcde',
    namespace: 'shop',
    uid: '0b7c6a3e-1111-4222-8333-444455556666',
    resourceVersion: '81234',
    generation: 3,
    creationTimestamp: '2024-01-01T00:00:00Z',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f7', uid: 'x', controller: true }],
    managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', time: '2024-01-01T00:00:00Z' }],
  } as KubeObject['metadata'],
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
  status: { phase: 'Running', podIP: '10.0.0.7' },
} as KubeObject;

describe('preview requests look like real CREATE admission requests', () => {
  it('a random v4 uid, the creating controller as user, CreateOptions, and no word of a preview', () => {
    const a = asCreate(PODS, pod, 'Validating', NOW);
    const b = asCreate(PODS, pod, 'Validating', NOW);
    expect(a.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.uid).not.toBe(b.uid);
    expect(a).toMatchObject({
      operation: 'CREATE',
      kind: { group: '', version: 'v1', kind: 'Pod' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      requestResource: { group: '', version: 'v1', resource: 'pods' },
      name: 'web-5d8f7-abcde',
      namespace: 'shop',
      dryRun: false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
      oldObject: null,
      userInfo: {
        username: 'system:serviceaccount:kube-system:replicaset-controller',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      },
    });
    expect(JSON.stringify(a).toLowerCase()).not.toMatch(/preview|gptpolicy/);
  });

  it("the object's metadata is a create's now: no resourceVersion or status, this moment's timestamps", () => {
    const validating = asCreate(PODS, pod, 'Validating', NOW).object as KubeObject & { metadata: Record<string, unknown> };
    expect(validating.metadata).toMatchObject({ uid: pod.metadata.uid, generation: 1, creationTimestamp: '2026-03-04T05:06:07Z', managedFields: [{ time: '2026-03-04T05:06:07Z' }] });
    expect(validating.metadata.resourceVersion).toBeUndefined();
    expect(validating).not.toHaveProperty('status');
    // A mutating webhook runs before the API server sets uid, creationTimestamp and generation.
    const mutating = asCreate(PODS, pod, 'Mutating', NOW).object as KubeObject & { metadata: Record<string, unknown> };
    expect(mutating.metadata.uid).toBeUndefined();
    expect(mutating.metadata.creationTimestamp).toBeUndefined();
    expect(mutating.metadata.generation).toBeUndefined();
  });

  it("a namespaced object without a controller: the namespace's default service account; a cluster-scoped one: kubeadm's admin", () => {
    const bare = { ...pod, metadata: { name: 'cfg', namespace: 'shop' } } as KubeObject;
    expect(asCreate(PODS, bare, 'Validating', NOW).userInfo).toMatchObject({ username: 'system:serviceaccount:shop:default' });
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } } as KubeObject;
    expect(asCreate(NAMESPACES, ns, 'Validating', NOW).userInfo).toEqual({ username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] });
  });
});
