// Which kinds a Controller policy watches (jsPolicy pkg/controller/manager.go:206-268).
import type { JsPolicy } from '../../../lib/k8s/types.ts';
import type { ApiResource, Cluster } from '../contracts.ts';

export type WatchedKinds = { ok: true; kinds: ApiResource[] } | { ok: false; message: string };

const anyOf = (list: string[] | undefined): boolean => !list || list.length === 0 || list.includes('*');

/**
 * spec.resources (plain plural names, no wildcard) resolved against discovery, filtered by apiGroups /
 * apiVersions (empty or "*" = any); for every group+kind only the first (preferred) served version is kept.
 * A plural served by several groups (events) watches all of them unless apiGroups narrows it. Failure
 * messages follow jsPolicy's (they become `error starting controller policy: <message>`).
 */
export function resolveWatchedKinds(policy: JsPolicy, cluster: Cluster): WatchedKinds {
  const spec = policy.spec ?? {};
  const resources = spec.resources ?? [];
  if (resources.length === 0) return { ok: false, message: 'no resources specified' };
  const served = cluster.resources();
  const kinds: ApiResource[] = [];
  const seen = new Set<string>();
  for (const resource of resources) {
    if (resource.includes('*')) return { ok: false, message: 'wildcard resources are not allowed for background policies' };
    const candidates = served.filter((r) => r.resource === resource);
    if (candidates.length === 0) return { ok: false, message: `get kinds for resource ${resource}: no matches for /, Resource=${resource}` };
    for (const candidate of candidates) {
      if (!anyOf(spec.apiGroups) && !spec.apiGroups?.includes(candidate.group)) continue;
      if (!anyOf(spec.apiVersions) && !spec.apiVersions?.includes(candidate.version)) continue;
      const groupKind = `${candidate.group}|${candidate.kind}`;
      if (seen.has(groupKind)) continue;
      seen.add(groupKind);
      kinds.push(candidate);
    }
  }
  if (kinds.length === 0) return { ok: false, message: `no kinds found for resources [${resources.join(' ')}]` };
  return { ok: true, kinds };
}
