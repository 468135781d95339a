import type { NamespaceLabels } from '../../../lib/policy/webhook-match.ts';
import type { Cluster } from '../contracts.ts';

/** Namespace labels as the API server's namespace matcher reads them: from the stored Namespace. */
export function clusterNamespaceLabels(cluster: Cluster | undefined): NamespaceLabels {
  return (name) => {
    const namespace = cluster?.get('v1', 'Namespace', undefined, name);
    return namespace ? (namespace.metadata.labels ?? {}) : undefined;
  };
}
