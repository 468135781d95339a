import type { ServedResource } from '../k8s/builtin-resources.ts';
import { AGGREGATED_DISCOVERY_ACCEPT, groupVersionsOf, servedFromAggregated, servedFromResourceList } from '../k8s/discovery-documents.ts';
import type { JsonBounds } from '../model/bounded-json.ts';
import { readApi } from '../platform/kube-api.ts';
import type { Platform } from '../platform/platform.ts';

// A discovery document lists names and scopes only; 8 MiB holds thousands of CRDs' worth.
const DISCOVERY_BOUNDS: JsonBounds = { maxChars: 8 * 1024 * 1024, maxDepth: 16 };

/** What a discovery read found, and what it cost (the bench reports the bytes). */
export interface DiscoveryRead {
  resources: ServedResource[];
  requests: number;
  bytes: number;
}

/**
 * What the cluster serves, from the API server's discovery documents, read uncached with the
 * service-account token the status writes use (every authenticated user may read discovery:
 * the system:discovery ClusterRole). Aggregated discovery answers in two requests; a server
 * without it is read group version by group version. Never the CRDs themselves: their schemas
 * are most of their bytes and the linter needs none of them. Read only on runs that check or
 * preview a policy; a failed read throws, so the run ends with the reason in the status.
 */
export function readDiscovery(platform: Platform): DiscoveryRead {
  let requests = 0;
  let bytes = 0;
  const get = (path: string, accept: string): unknown => {
    requests++;
    const read = readApi(platform, path, accept, DISCOVERY_BOUNDS);
    if (!read.ok) throw new Error(`discovery: GET ${path} failed: ${read.code} ${read.reason}: ${read.message}`.slice(0, 500));
    bytes += read.bytes;
    return read.value;
  };
  const core = get('/api', AGGREGATED_DISCOVERY_ACCEPT);
  const fromCore = servedFromAggregated(core);
  const groups = get('/apis', AGGREGATED_DISCOVERY_ACCEPT);
  const fromGroups = servedFromAggregated(groups);
  if (fromCore && fromGroups) return { resources: [...fromCore, ...fromGroups], requests, bytes };
  const versions = ['v1'].map((v) => `/api/${v}`).concat((groupVersionsOf(groups) ?? []).map((gv) => `/apis/${gv}`));
  const resources = versions.flatMap((path) => servedFromResourceList(get(path, 'application/json')));
  return { resources, requests, bytes };
}

export function discovery(platform: Platform): ServedResource[] {
  return readDiscovery(platform).resources;
}
