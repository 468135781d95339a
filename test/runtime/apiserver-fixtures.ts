// Shared manifests for the in-memory API server tests.
import type { KubeObject } from '../../lib/k8s/types.ts';

export const FIXED_NOW = Date.parse('2024-05-01T12:00:00.000Z');

export function configMap(name: string, namespace = 'default', data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...(labels ? { labels } : {}) }, data };
}

export function widgetCrd(options: { scope?: 'Namespaced' | 'Cluster'; status?: boolean } = {}): KubeObject {
  const version = (name: string, storage: boolean) => ({
    name,
    served: true,
    storage,
    schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    ...(options.status === false ? {} : { subresources: { status: {} } }),
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: options.scope ?? 'Namespaced',
      names: { kind: 'Widget', plural: 'widgets' },
      versions: [version('v1', true), version('v1beta1', false)],
    },
  };
}

export function widget(name: string, spec: Record<string, unknown> = { size: 1 }, namespace = 'default'): KubeObject {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace }, spec };
}
