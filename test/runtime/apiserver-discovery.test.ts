import { describe, expect, it } from 'vitest';
import { readDiscovery } from '../../lib/controller/discovery.ts';
import { AGGREGATED_DISCOVERY_ACCEPT, servedFromAggregated, servedFromResourceList } from '../../lib/k8s/discovery-documents.ts';
import type { Platform } from '../../lib/platform/platform.ts';
import { InMemoryCluster, namespace } from '../../tools/runtime/apiserver/index.ts';
import { platformOverHttp } from '../../tools/local/http-platform.ts';
import { widgetCrd } from './apiserver-fixtures.ts';

const TOKEN = 'sa-token';

function setup(): InMemoryCluster {
  return new InMemoryCluster({ serviceAccountToken: TOKEN, objects: [namespace('default'), widgetCrd()] });
}

function get(c: InMemoryCluster, path: string, accept = 'application/json') {
  const response = c.handleHttp({ method: 'GET', path, headers: { authorization: `Bearer ${TOKEN}`, accept } });
  return { status: response.status, contentType: response.headers['Content-Type'], body: JSON.parse(response.body) as Record<string, unknown> };
}

const sorted = <T extends { group: string; version: string; resource: string }>(xs: T[]): T[] =>
  [...xs].sort((a, b) => `${a.group}/${a.version}/${a.resource}`.localeCompare(`${b.group}/${b.version}/${b.resource}`));

/** The in-memory server over HTTP, recording the paths read. */
function platformOver(c: InMemoryCluster, plainOnly = false): Platform & { paths: string[] } {
  const paths: string[] = [];
  return Object.assign(platformOverHttp(c, TOKEN, { plainOnly, onRequest: (path) => paths.push(path) }), { paths });
}

describe('discovery documents', () => {
  it('serves plain APIVersions, APIGroupList, APIGroup and APIResourceList, subresources as "plural/status"', () => {
    const c = setup();
    expect(get(c, '/api').body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = get(c, '/apis').body as { kind: string; groups: Array<{ name: string; preferredVersion: unknown }> };
    expect(groups.kind).toBe('APIGroupList');
    expect(groups.groups.find((g) => g.name === 'example.com')).toEqual({
      name: 'example.com',
      versions: [
        { groupVersion: 'example.com/v1', version: 'v1' },
        { groupVersion: 'example.com/v1beta1', version: 'v1beta1' },
      ],
      preferredVersion: { groupVersion: 'example.com/v1', version: 'v1' },
    });
    expect(get(c, '/apis/apps').body).toMatchObject({ kind: 'APIGroup', name: 'apps' });
    const core = get(c, '/api/v1').body as { resources: Array<{ name: string; namespaced: boolean; kind: string }> };
    expect(core.resources.filter((r) => r.name.startsWith('pods'))).toMatchObject([
      { name: 'pods', namespaced: true, kind: 'Pod' },
      { name: 'pods/status', namespaced: true, kind: 'Pod' },
    ]);
    expect(get(c, '/apis/example.com/v2').status).toBe(404);
  });

  it('answers the aggregated form only when the Accept header asks for it first, and both forms say the same', () => {
    const c = setup();
    const aggregated = get(c, '/apis', AGGREGATED_DISCOVERY_ACCEPT);
    expect(aggregated.contentType).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(aggregated.body.kind).toBe('APIGroupDiscoveryList');
    expect(get(c, '/apis', 'application/json, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList').body.kind).toBe('APIGroupList');
    const fromAggregated = [...(servedFromAggregated(get(c, '/api', AGGREGATED_DISCOVERY_ACCEPT).body) ?? []), ...(servedFromAggregated(aggregated.body) ?? [])];
    const plainPaths = ['/api/v1', ...(get(c, '/apis').body as { groups: Array<{ versions: Array<{ groupVersion: string }> }> }).groups.flatMap((g) => g.versions.map((v) => `/apis/${v.groupVersion}`))];
    const fromPlain = plainPaths.flatMap((p) => servedFromResourceList(get(c, p).body));
    expect(sorted(fromAggregated)).toEqual(sorted(c.resources()));
    expect(sorted(fromPlain)).toEqual(sorted(c.resources()));
  });

  it('is not a discovery document when it is not shaped like one', () => {
    expect(servedFromAggregated({ kind: 'APIGroupList', groups: [] })).toBeUndefined();
    expect(servedFromResourceList({ kind: 'Status' })).toEqual([]);
    expect(servedFromAggregated({ kind: 'APIGroupDiscoveryList', items: [null, { versions: [{ version: 'v1', resources: [{ resource: 'x' }] }] }] })).toEqual([]);
  });
});

describe('the controller reads discovery, never the CRDs', () => {
  it('reads the two aggregated documents with the service-account token', () => {
    const c = setup();
    const platform = platformOver(c);
    const read = readDiscovery(platform);
    expect(platform.paths).toEqual(['/api', '/apis']);
    expect(read.requests).toBe(2);
    expect(sorted(read.resources)).toEqual(sorted(c.resources()));
    expect(read.resources.find((r) => r.resource === 'widgets')).toMatchObject({ group: 'example.com', namespaced: true, statusSubresource: true });
  });

  it('reads group version by group version from a server without aggregated discovery', () => {
    const c = setup();
    const platform = platformOver(c, true);
    const read = readDiscovery(platform);
    expect(platform.paths.slice(0, 3)).toEqual(['/api', '/apis', '/api/v1']);
    expect(platform.paths).toContain('/apis/example.com/v1beta1');
    expect(sorted(read.resources)).toEqual(sorted(c.resources()));
  });

  it('throws with the path and the API server\'s reason when a read fails', () => {
    const c = new InMemoryCluster({ serviceAccountToken: 'other', objects: [] });
    expect(() => readDiscovery(platformOver(c))).toThrow(/discovery: GET \/api failed: 401 Unauthorized/);
  });
});
