// What the bootstrap controller does to the cluster, decided from what it read: pure, no host calls.
// It installs the objects that must not be applied with the rest of the release (our controller
// JsPolicies, which jsPolicy would start once and never again if they came before our CRDs were
// served; PolicySkills, whose kind does not exist before their CRD), once every CRD of the release
// is Established.
import type { JsPolicy, KubeObject, OwnerReference } from '../k8s/types.ts';
import { jsonEqual } from '../util/json-equal.ts';
import { sha256Hex } from '../util/sha256.ts';
import { restartedApiVersions, sameMeaning, sameStartHash } from './start-hash.ts';

/** What the build embeds in the bootstrap's code: an upgrade changes it, so jsPolicy restarts the bootstrap. */
export interface InstallManifest {
  /** Names of the release's CRDs (k8s/*-crd.yaml), all Established before anything is installed. */
  crds: string[];
  /** ConfigMaps in jsPolicy's namespace holding the objects to install (JSON arrays under PAYLOAD_KEY), with their sha256. */
  chunks: Array<{ name: string; sha256: string }>;
}

/** On every object of ours the bootstrap watches or installs: crd, payload, bootstrap, installed. */
export const INSTALL_LABEL = 'gptpolicy.dev/install';
export const INSTALLED = 'installed';
export const PAYLOAD_KEY = 'objects.json';
/** How often the bootstrap restarted a controller stuck at InitControllerPolicy (for this code). */
export const RESTARTS_ANNOTATION = 'gptpolicy.dev/restarts';
export const MAX_RESTARTS = 3;
/** Marks what a release's manifests applied directly before the bootstrap existed (adoptable). */
const APP_LABEL = 'app.kubernetes.io/name';
const VERSION_LABEL = 'app.kubernetes.io/version';
const SKILL_SOURCE_LABEL = 'gptpolicy.dev/skill-source';

export type CrdState = { name: string; established: boolean } | { name: string; absent: true };

/** Why nothing can be installed yet, or undefined when every CRD is Established. */
export function waitingForCrds(states: CrdState[]): string | undefined {
  const missing = states.filter((s) => 'absent' in s).map((s) => s.name);
  const pending = states.filter((s) => 'established' in s && !s.established).map((s) => s.name);
  if (missing.length === 0 && pending.length === 0) return undefined;
  return [missing.length ? `CRDs not applied yet: ${missing.join(', ')}` : '', pending.length ? `CRDs not Established yet: ${pending.join(', ')}` : ''].filter(Boolean).join('; ');
}

export type PayloadResult = { ok: true; objects: KubeObject[] } | { ok: false; message: string };

/**
 * The objects to install, only when every chunk is exactly the one this bootstrap was built with: a
 * half-applied upgrade (new bootstrap, old ConfigMaps, or the reverse) installs nothing.
 */
export function readPayload(manifest: InstallManifest, namespace: string, texts: Array<string | undefined>): PayloadResult {
  const objects: KubeObject[] = [];
  for (const [i, chunk] of manifest.chunks.entries()) {
    const text = texts[i];
    const where = `ConfigMap ${namespace}/${chunk.name}`;
    if (text === undefined) return { ok: false, message: `${where} (key ${PAYLOAD_KEY}) is not applied yet` };
    const hash = sha256Hex(text);
    if (hash !== chunk.sha256) return { ok: false, message: `${where} is not the one this bootstrap was built with (sha256 ${hash.slice(0, 12)}, expected ${chunk.sha256.slice(0, 12)}): apply the whole release` };
    objects.push(...(JSON.parse(text) as KubeObject[]));
  }
  return { ok: true, objects };
}

export type InstallAction =
  | { op: 'create'; object: KubeObject }
  | { op: 'update'; object: KubeObject; why: 'changed' | 'adopted' | 'restart' }
  | { op: 'delete'; object: KubeObject };

export interface InstallPlan {
  actions: InstallAction[];
  /** Objects left alone, and why (a user's object under one of our names, a controller that will not start). */
  warnings: string[];
}

export interface Owner {
  name: string;
  uid: string;
}

const key = (o: KubeObject): string => `${(o.apiVersion ?? '').split('/')[0]}/${o.kind}/${o.metadata.name}`;
const labelsOf = (o: KubeObject): Record<string, string> => o.metadata.labels ?? {};
const ownerRef = (owner: Owner): OwnerReference => ({ apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicy', name: owner.name, uid: owner.uid });
const isOwnerRef = (ref: OwnerReference, owner: Owner): boolean => ref.kind === 'JsPolicy' && ref.name === owner.name;

/** Installed by this bootstrap: ours to update and to delete when a release no longer has it. */
function installedBy(o: KubeObject, owner: Owner): boolean {
  return labelsOf(o)[INSTALL_LABEL] === INSTALLED && (o.metadata.ownerReferences ?? []).some((r) => isOwnerRef(r, owner));
}

/** A previous release applied it directly (same name, the labels build.mjs stamps on a release, not a learned skill): ours to adopt. */
function fromRelease(o: KubeObject): boolean {
  return labelsOf(o)[APP_LABEL] === 'gptpolicy' && labelsOf(o)[VERSION_LABEL] !== undefined && labelsOf(o)[SKILL_SOURCE_LABEL] !== 'learned';
}

function marked(desired: KubeObject, owner: Owner): KubeObject {
  return { ...desired, metadata: { ...desired.metadata, labels: { ...desired.metadata.labels, [INSTALL_LABEL]: INSTALLED }, ownerReferences: [ownerRef(owner)] } };
}

/** A controller jsPolicy tried to start for this very spec, and could not (its CRDs are Established by now). */
function stuck(o: KubeObject): boolean {
  const policy = o as JsPolicy;
  if (o.kind !== 'JsPolicy' || policy.spec?.type !== 'Controller') return false;
  const ready = policy.status?.conditions?.find((c) => c.type === 'ControllerReady');
  return policy.status?.observedGeneration === (o.metadata.generation ?? 1) && ready?.status === 'False' && ready.reason === 'InitControllerPolicy';
}

/** `existing` with what `want` manages: spec, our labels and annotations, our owner; the rest (status, others' labels) kept. */
function merged(existing: KubeObject, want: KubeObject, owner: Owner): KubeObject {
  const annotations: Record<string, string> = { ...existing.metadata.annotations, ...want.metadata.annotations };
  const spec = { ...(want.spec as Record<string, unknown>) } as JsPolicy['spec'];
  const before = (existing.spec ?? {}) as JsPolicy['spec'];
  if (want.kind === 'JsPolicy') {
    // Keep a restart's spelling of apiVersions while it means the same: rewriting it would start the controller again.
    if (sameMeaning(before, spec)) spec.apiVersions = before.apiVersions;
    if (before.javascript !== spec.javascript) delete annotations[RESTARTS_ANNOTATION];
  }
  const next: KubeObject = {
    ...existing,
    metadata: {
      ...existing.metadata,
      labels: { ...existing.metadata.labels, ...want.metadata.labels },
      annotations,
      ownerReferences: [...(existing.metadata.ownerReferences ?? []).filter((r) => !isOwnerRef(r, owner)), ownerRef(owner)],
    },
    spec,
  };
  if (Object.keys(annotations).length === 0) delete next.metadata.annotations;
  return next;
}

const managedPart = (o: KubeObject): unknown => ({ spec: o.spec, labels: o.metadata.labels ?? {}, annotations: o.metadata.annotations ?? {}, owners: o.metadata.ownerReferences ?? [] });

/**
 * desired (the release's objects) + existing (every object of their kinds) → the writes. Creates
 * what is missing; updates what differs, adopting what a previous release applied directly; restarts
 * (a new start hash, same meaning: start-hash.ts) a controller that jsPolicy failed to start; deletes
 * what this bootstrap installed and the release no longer has. Never touches anything else — a
 * user's or learned PolicySkill under one of our names is reported, not overwritten.
 */
export function planObjects(desired: KubeObject[], existing: KubeObject[], owner: Owner): InstallPlan {
  const byKey = new Map(existing.map((o) => [key(o), o]));
  const wanted = new Set(desired.map(key));
  const actions: InstallAction[] = [];
  const warnings: string[] = [];
  for (const object of desired) {
    const want = marked(object, owner);
    const found = byKey.get(key(want));
    if (!found) {
      actions.push({ op: 'create', object: want });
      continue;
    }
    const ours = installedBy(found, owner);
    if (!ours && !fromRelease(found)) {
      warnings.push(`${want.kind} ${want.metadata.name} exists and is not gptpolicy's: left alone`);
      continue;
    }
    const next = merged(found, want, owner);
    let why: 'changed' | 'adopted' | 'restart' = ours ? 'changed' : 'adopted';
    if (stuck(found) && sameStartHash(next.spec as JsPolicy['spec'], found.spec as JsPolicy['spec'])) {
      const restarts = Number(found.metadata.annotations?.[RESTARTS_ANNOTATION] ?? '0') || 0;
      if (restarts >= MAX_RESTARTS) {
        warnings.push(`${want.kind} ${want.metadata.name}: jsPolicy could not start it ${restarts + 1} times (ControllerReady=False, InitControllerPolicy: ${readyMessage(found)}); restart jsPolicy`);
      } else {
        const spec = next.spec as JsPolicy['spec'];
        const apiVersions = restartedApiVersions(spec.apiVersions);
        if (apiVersions) spec.apiVersions = apiVersions;
        else delete spec.apiVersions;
        next.metadata.annotations = { ...next.metadata.annotations, [RESTARTS_ANNOTATION]: String(restarts + 1) };
        why = 'restart';
      }
    }
    if (!jsonEqual(managedPart(next), managedPart(found))) actions.push({ op: 'update', object: next, why });
  }
  for (const object of existing) {
    if (!wanted.has(key(object)) && installedBy(object, owner)) actions.push({ op: 'delete', object });
  }
  return { actions, warnings };
}

function readyMessage(o: KubeObject): string {
  return (o as JsPolicy).status?.conditions?.find((c) => c.type === 'ControllerReady')?.message ?? '';
}
