// The API server's discovery documents, read into the table the linter and the preview use.
//
// Aggregated discovery (apidiscovery.k8s.io v2, GA in Kubernetes 1.30; v2beta1 since 1.26) answers
// every group's resources in two documents (`/api` for the core group, `/apis` for the rest) and
// carries no schemas: the reason the controller reads it instead of listing CRDs, whose full
// OpenAPI schemas it would otherwise hold in memory on every checking run. Servers without it
// answer `/apis` with a plain APIGroupList; then each group version is read on its own.
import type { ServedResource } from './builtin-resources.ts';

/** What kube clients send: the aggregated forms first, then plain JSON for older servers. */
export const AGGREGATED_DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,' +
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

export interface GroupVersionKind {
  group?: string;
  version?: string;
  kind?: string;
}

export interface APISubresourceDiscovery {
  subresource?: string;
  responseKind?: GroupVersionKind;
  verbs?: string[];
}

export interface APIResourceDiscovery {
  resource?: string;
  responseKind?: GroupVersionKind;
  scope?: string;
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind?: string;
  apiVersion?: string;
  items?: Array<{ metadata?: { name?: string }; versions?: Array<{ version?: string; resources?: APIResourceDiscovery[]; freshness?: string }> }>;
}

export interface APIGroupList {
  kind?: string;
  groups?: Array<{ name?: string; versions?: Array<{ groupVersion?: string; version?: string }> }>;
}

export interface APIResource {
  name?: string;
  singularName?: string;
  namespaced?: boolean;
  kind?: string;
  verbs?: string[];
  shortNames?: string[];
}

export interface APIResourceList {
  kind?: string;
  groupVersion?: string;
  resources?: APIResource[];
}

const isAggregated = (doc: unknown): doc is APIGroupDiscoveryList =>
  (doc as APIGroupDiscoveryList | undefined)?.kind === 'APIGroupDiscoveryList' && Array.isArray((doc as APIGroupDiscoveryList).items);

/** The resources of an aggregated discovery document, or undefined when `doc` is not one. */
export function servedFromAggregated(doc: unknown): ServedResource[] | undefined {
  if (!isAggregated(doc)) return undefined;
  const out: ServedResource[] = [];
  for (const group of doc.items ?? []) {
    const name = group?.metadata?.name ?? '';
    for (const version of group?.versions ?? []) {
      if (typeof version?.version !== 'string') continue;
      for (const r of version.resources ?? []) {
        if (typeof r?.resource !== 'string' || typeof r.responseKind?.kind !== 'string') continue;
        out.push({
          group: name,
          version: version.version,
          kind: r.responseKind.kind,
          resource: r.resource,
          namespaced: r.scope === 'Namespaced',
          statusSubresource: (r.subresources ?? []).some((s) => s?.subresource === 'status'),
        });
      }
    }
  }
  return out;
}

/** Every group version a plain APIGroupList names ("apps/v1", ...), or undefined when `doc` is not one. */
export function groupVersionsOf(doc: unknown): string[] | undefined {
  const list = doc as APIGroupList | undefined;
  if (list?.kind !== 'APIGroupList' || !Array.isArray(list.groups)) return undefined;
  const out: string[] = [];
  for (const g of list.groups) for (const v of g?.versions ?? []) if (typeof v?.groupVersion === 'string') out.push(v.groupVersion);
  return out;
}

/** The resources of one APIResourceList; subresources ("pods/status") only mark their resource. */
export function servedFromResourceList(doc: unknown): ServedResource[] {
  const list = doc as APIResourceList | undefined;
  if (list?.kind !== 'APIResourceList' || typeof list.groupVersion !== 'string' || !Array.isArray(list.resources)) return [];
  const slash = list.groupVersion.indexOf('/');
  const group = slash < 0 ? '' : list.groupVersion.slice(0, slash);
  const version = slash < 0 ? list.groupVersion : list.groupVersion.slice(slash + 1);
  const names = list.resources.map((r) => r?.name);
  return list.resources
    .filter((r) => typeof r?.name === 'string' && r.name.indexOf('/') < 0 && typeof r.kind === 'string')
    .map((r) => ({
      group,
      version,
      kind: r.kind as string,
      resource: r.name as string,
      namespaced: r.namespaced === true,
      statusSubresource: names.indexOf(`${r.name}/status`) >= 0,
    }));
}
