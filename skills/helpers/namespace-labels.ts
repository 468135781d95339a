/**
 * The labels of a Namespace, read from the cluster with get() ({} when it or its labels do not exist).
 * Needs read access (reads: true); the policy must tolerate a slow or failed read.
 */
export function namespaceLabels(name: string): Record<string, string> {
  if (!name) return {};
  const ns = get<{ metadata?: { labels?: Record<string, string> } }>('Namespace', 'v1', name);
  return (ns && ns.metadata && ns.metadata.labels) || {};
}
