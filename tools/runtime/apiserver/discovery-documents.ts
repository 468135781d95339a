// The discovery documents a real API server serves, built from what this one serves: `/api`,
// `/api/v1`, `/apis`, `/apis/<group>`, `/apis/<group>/<version>` as plain JSON, and `/api`, `/apis`
// in the aggregated form (apidiscovery.k8s.io/v2) when the Accept header asks for it first, as
// k8s.io/apiserver's discovery handlers negotiate it. Shapes: k8s.io/apimachinery's
// metav1.APIVersions/APIGroupList/APIGroup/APIResourceList, k8s.io/api/apidiscovery/v2.
import type { ApiResource } from '../contracts.ts';

export interface DiscoveryAnswer {
  contentType: string;
  body: unknown;
}

const JSON_TYPE = 'application/json';
const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

// Review kinds are create-only; every other kind serves the full verb set.
const CREATE_ONLY = new Set(['tokenreviews', 'subjectaccessreviews', 'selfsubjectaccessreviews', 'localsubjectaccessreviews', 'selfsubjectreviews']);
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];

const verbsOf = (r: ApiResource): string[] => (CREATE_ONLY.has(r.resource) ? ['create'] : VERBS);

/** The first media type of an Accept header, parameters kept, spaces dropped. */
function firstAccepted(accept: string | undefined): string {
  return (accept ?? '').split(',')[0]?.replace(/\s+/g, '') ?? '';
}

function wantsAggregated(accept: string | undefined): boolean {
  const first = firstAccepted(accept);
  return first.startsWith('application/json;') && first.includes('g=apidiscovery.k8s.io') && first.includes('as=APIGroupDiscoveryList') && first.includes('v=v2');
}

function groups(resources: readonly ApiResource[]): Map<string, Map<string, ApiResource[]>> {
  const out = new Map<string, Map<string, ApiResource[]>>();
  for (const r of resources) {
    const versions = out.get(r.group) ?? new Map<string, ApiResource[]>();
    versions.set(r.version, [...(versions.get(r.version) ?? []), r]);
    out.set(r.group, versions);
  }
  return out;
}

const groupVersion = (group: string, version: string): string => (group === '' ? version : `${group}/${version}`);

function aggregated(resources: readonly ApiResource[], core: boolean): DiscoveryAnswer {
  const items = [...groups(resources)]
    .filter(([group]) => (group === '') === core)
    .map(([group, versions]) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: [...versions].map(([version, list]) => ({
        version,
        resources: list.map((r) => ({
          resource: r.resource,
          responseKind: { group: r.group, version: r.version, kind: r.kind },
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: r.kind.toLowerCase(),
          verbs: verbsOf(r),
          ...(r.statusSubresource
            ? { subresources: [{ subresource: 'status', responseKind: { group: r.group, version: r.version, kind: r.kind }, verbs: STATUS_VERBS }] }
            : {}),
        })),
        freshness: 'Current',
      })),
    }));
  return { contentType: AGGREGATED_V2, body: { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items } };
}

function apiGroup(group: string, versions: Map<string, ApiResource[]>): Record<string, unknown> {
  const list = [...versions.keys()].map((version) => ({ groupVersion: groupVersion(group, version), version }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

function resourceList(group: string, version: string, list: readonly ApiResource[]): DiscoveryAnswer {
  const resources = list.flatMap((r) => [
    { name: r.resource, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: verbsOf(r) },
    ...(r.statusSubresource ? [{ name: `${r.resource}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: STATUS_VERBS }] : []),
  ]);
  return { contentType: JSON_TYPE, body: { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources } };
}

/** The discovery document at `pathname`, or undefined when the path is not a discovery path. */
export function discoveryDocument(resources: readonly ApiResource[], pathname: string, accept: string | undefined): DiscoveryAnswer | undefined {
  const segments = pathname.split('/').filter(Boolean);
  const byGroup = groups(resources);
  if (segments.length === 1 && segments[0] === 'api') {
    if (wantsAggregated(accept)) return aggregated(resources, true);
    return { contentType: JSON_TYPE, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: 'kubernetes.default.svc:443' }] } };
  }
  if (segments.length === 2 && segments[0] === 'api' && segments[1] === 'v1') return resourceList('', 'v1', byGroup.get('')?.get('v1') ?? []);
  if (segments[0] !== 'apis' || segments.length > 3) return undefined;
  if (segments.length === 1) {
    if (wantsAggregated(accept)) return aggregated(resources, false);
    const list = [...byGroup].filter(([group]) => group !== '').map(([group, versions]) => apiGroup(group, versions));
    return { contentType: JSON_TYPE, body: { kind: 'APIGroupList', apiVersion: 'v1', groups: list } };
  }
  const versions = byGroup.get(segments[1] ?? '');
  if (!versions || segments[1] === '') return undefined;
  if (segments.length === 2) return { contentType: JSON_TYPE, body: { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(segments[1] as string, versions) } };
  const list = versions.get(segments[2] ?? '');
  return list ? resourceList(segments[1] as string, segments[2] as string, list) : undefined;
}
