import type { KubeObject } from '../../../lib/k8s/types.ts';

/** A Namespace manifest, for preloading a cluster. */
export function namespace(name: string, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: labels ? { name, labels: { ...labels } } : { name } };
}
