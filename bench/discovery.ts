// What a checking run reads to resolve resources, with 200 CRDs installed: the API server's
// aggregated discovery (what the controller reads), discovery group version by group version (what
// it reads from a server without aggregated discovery), against listing the CRDs themselves (what
// it read before, schemas and all). Bytes are the response bodies the controller's run holds.
import { readDiscovery } from '../lib/controller/discovery.ts';
import type { KubeObject } from '../lib/k8s/types.ts';
import { InMemoryCluster } from '../tools/runtime/apiserver/index.ts';
import { platformOverHttp } from '../tools/local/http-platform.ts';
import { figure, type Section } from './report.ts';

const TOKEN = 'bench-token';
const CRDS = 200;
const KINDS_PER_GROUP = 5;

/** A CRD whose schema is the size of a typical operator's (some 60 described fields per version). */
function crd(i: number): KubeObject {
  const group = `group${Math.floor(i / KINDS_PER_GROUP)}.example.com`;
  const kind = `Thing${i}`;
  const properties: Record<string, unknown> = {};
  for (let f = 0; f < 60; f++) {
    properties[`field${f}`] = { type: 'string', description: `Field ${f} of ${kind}: what it configures, its default and the values it accepts, as operators document them.` };
  }
  const version = (name: string, storage: boolean) => ({
    name,
    served: true,
    storage,
    subresources: { status: {} },
    schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties }, status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `things${i}.${group}` },
    spec: { group, scope: 'Namespaced', names: { kind, plural: `things${i}` }, versions: [version('v1', true), version('v1beta1', false)] },
  };
}

export function benchDiscovery(section: Section): void {
  const crds = Array.from({ length: CRDS }, (_, i) => crd(i));
  const cluster = new InMemoryCluster({ serviceAccountToken: TOKEN, objects: crds });
  const crdList = JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinitionList', metadata: {}, items: cluster.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition') }).length;
  const aggregated = readDiscovery(platformOverHttp(cluster, TOKEN));
  const perGroup = readDiscovery(platformOverHttp(cluster, TOKEN, { plainOnly: true }));
  const served = aggregated.resources.length;
  if (perGroup.resources.length !== served) section.failures.push(`the two discovery forms disagree: ${served} vs ${perGroup.resources.length} resources`);
  section.figures.push(
    figure('aggregated discovery (/api, /apis): bytes per checking run', 'bytes', aggregated.bytes, crdList, { referenceLabel: `listing the ${CRDS} CRDs, schemas and all`, note: `${aggregated.requests} requests, ${served} resources` }),
    figure('per group version (no aggregated discovery): bytes per checking run', 'bytes', perGroup.bytes, crdList, { referenceLabel: `listing the ${CRDS} CRDs`, note: `${perGroup.requests} requests` }),
  );
  section.notes.push(`each synthetic CRD has two served versions with a 60-field schema: ${Math.round(crdList / CRDS / 1024)} KiB per CRD as listed (operators' CRDs run from a few KiB to several hundred)`);
}
