// The bootstrap's one effectful edge: read what planObjects needs, then write what it decided.
import type { KubeObject } from '../k8s/types.ts';
import { planObjects, readPayload, waitingForCrds, PAYLOAD_KEY, type CrdState, type InstallManifest } from './plan.ts';

/** jsPolicy's globals, as the bootstrap uses them (bound in policies/gptpolicy-bootstrap.ts; plain objects in tests). */
export interface InstallHost {
  /** jsPolicy's namespace, where the payload ConfigMaps are. */
  namespace: string;
  /** The bootstrap JsPolicy's own name (__policy). */
  self: string;
  /** Cached reads: kinds the bootstrap watches (CRDs, JsPolicies). */
  getCached(kind: string, apiVersion: string, name: string): KubeObject | undefined;
  /** Uncached: a cached read would start a cluster-wide informer (ConfigMaps) or could be stale before a write. */
  getUncached(kind: string, apiVersion: string, name: string): KubeObject | undefined;
  listUncached(kind: string, apiVersion: string): KubeObject[];
  create(object: KubeObject): { ok: boolean; message?: string };
  update(object: KubeObject): { ok: boolean; message?: string };
  remove(object: KubeObject): { ok: boolean; message?: string };
  log(message: string): void;
  /** Runs the bootstrap again after jsPolicy's backoff (5 ms·2^n); ends the run. */
  requeue(message: string): never;
}

const CRD_API = 'apiextensions.k8s.io/v1';

function crdState(name: string, crd: KubeObject | undefined): CrdState {
  if (!crd) return { name, absent: true };
  const conditions = ((crd.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []);
  return { name, established: conditions.some((c) => c.type === 'Established' && c.status === 'True') };
}

/** One run: every event ends in the same full reconcile of the release (there is one desired state). */
export function runInstall(host: InstallHost, manifest: InstallManifest): void {
  const self = host.getCached('JsPolicy', 'policy.jspolicy.com/v1beta1', host.self);
  if (!self?.metadata.uid) host.requeue(`JsPolicy ${host.self} is not readable yet`);
  const waiting = waitingForCrds(manifest.crds.map((name) => crdState(name, host.getCached('CustomResourceDefinition', CRD_API, name))));
  if (waiting) host.requeue(waiting);
  const texts = manifest.chunks.map((chunk) => (host.getUncached('ConfigMap', 'v1', `${host.namespace}/${chunk.name}`)?.data as Record<string, string> | undefined)?.[PAYLOAD_KEY]);
  const payload = readPayload(manifest, host.namespace, texts);
  if (!payload.ok) host.requeue(payload.message);
  const kinds = [...new Map(payload.objects.map((o) => [`${o.apiVersion}|${o.kind}`, o])).values()];
  const existing = kinds.flatMap((o) => host.listUncached(o.kind, o.apiVersion));
  const plan = planObjects(payload.objects, existing, { name: host.self, uid: self.metadata.uid as string });
  for (const warning of plan.warnings) host.log(warning);
  const failed: string[] = [];
  for (const action of plan.actions) {
    const result = action.op === 'create' ? host.create(action.object) : action.op === 'update' ? host.update(action.object) : host.remove(action.object);
    const what = `${action.op}${action.op === 'update' ? ` (${action.why})` : ''} ${action.object.kind} ${action.object.metadata.name}`;
    if (result.ok) host.log(what);
    else failed.push(`${what}: ${result.message ?? 'failed'}`);
  }
  if (failed.length > 0) host.requeue(`${failed.length} of ${plan.actions.length} writes failed, first: ${failed[0]}`);
}
