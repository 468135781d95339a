// Builders for skill test cases: short, readable AdmissionRequests in PolicyTest's case shape.
import type { SkillTestCase } from '../lib/skills/types.ts';

type Obj = Record<string, unknown>;
export type Request = SkillTestCase['request'];

export function admit(object: Obj, operation = 'CREATE', extra: Obj = {}): Request {
  return { operation, object, ...extra };
}

export function pod(spec: Obj, metadata: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', ...metadata }, spec };
}

/** Pod metadata of a template: labels app=web plus `podMetadata`'s labels, and its annotations if any. */
function templateMetadata(podMetadata: Obj): Obj {
  const { labels, ...rest } = podMetadata as { labels?: Obj };
  return { ...rest, labels: { app: 'web', ...(labels ?? {}) } };
}

/** A workload with spec.template: `metadata` is the workload's, `podMetadata` (labels, annotations) its pods'. */
const templated = (apiVersion: string, kind: string) => (podSpec: Obj, metadata: Obj = {}, podMetadata: Obj = {}): Obj => ({
  apiVersion,
  kind,
  metadata: { name: 'web', namespace: 'default', ...metadata },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: templateMetadata(podMetadata), spec: podSpec } },
});

export const deployment = templated('apps/v1', 'Deployment');
export const statefulSet = templated('apps/v1', 'StatefulSet');
export const daemonSet = templated('apps/v1', 'DaemonSet');
export const replicaSet = templated('apps/v1', 'ReplicaSet');
export const job = templated('batch/v1', 'Job');

/** A ReplicationController: spec.selector is a plain label map. */
export function replicationController(podSpec: Obj, metadata: Obj = {}, podMetadata: Obj = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'web', namespace: 'default', ...metadata },
    spec: { selector: { app: 'web' }, template: { metadata: templateMetadata(podMetadata), spec: podSpec } },
  };
}

export function cronJob(podSpec: Obj, metadata: Obj = {}, podMetadata: Obj = {}): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'default', ...metadata },
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { ...(Object.keys(podMetadata).length ? { metadata: podMetadata } : {}), spec: podSpec } } } },
  };
}

/** A PodTemplate (v1): the template sits at the top level, beside metadata. */
export function podTemplate(podSpec: Obj, metadata: Obj = {}, podMetadata: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'web', namespace: 'default', ...metadata }, template: { metadata: templateMetadata(podMetadata), spec: podSpec } };
}

/** The kinds that carry a pod spec, each built around the same pod spec and pod metadata (labels, annotations). */
export const POD_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'PodTemplate'] as const;

export function ofKind(kind: (typeof POD_KINDS)[number], podSpec: Obj, podMetadata: Obj = {}, metadata: Obj = {}): Obj {
  switch (kind) {
    case 'Pod':
      return pod(podSpec, { ...metadata, ...podMetadata });
    case 'Deployment':
      return deployment(podSpec, metadata, podMetadata);
    case 'StatefulSet':
      return statefulSet(podSpec, metadata, podMetadata);
    case 'DaemonSet':
      return daemonSet(podSpec, metadata, podMetadata);
    case 'ReplicaSet':
      return replicaSet(podSpec, metadata, podMetadata);
    case 'ReplicationController':
      return replicationController(podSpec, metadata, podMetadata);
    case 'Job':
      return job(podSpec, metadata, podMetadata);
    case 'CronJob':
      return cronJob(podSpec, metadata, podMetadata);
    case 'PodTemplate':
      return podTemplate(podSpec, metadata, podMetadata);
  }
}

/** The same pod spec in every pod-bearing kind: [kind, object] pairs. */
export function everyKind(podSpec: Obj, podMetadata: Obj = {}, metadata: Obj = {}): [string, Obj][] {
  return POD_KINDS.map((kind) => [kind, ofKind(kind, podSpec, podMetadata, metadata)]);
}

/**
 * `kubectl debug`'s request: UPDATE of the pods/ephemeralcontainers subresource, whose object is the
 * whole Pod with its new spec.ephemeralContainers.
 */
export function ephemeralUpdate(podObject: Obj): Request {
  return {
    operation: 'UPDATE',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    subResource: 'ephemeralcontainers',
    object: podObject,
    oldObject: podObject,
  };
}

export function service(spec: Obj, metadata: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', ...metadata }, spec };
}

export function ingress(spec: Obj, metadata: Obj = {}): Obj {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default', ...metadata }, spec };
}

export function namespace(name: string, labels: Record<string, string> = {}): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

/** A request for helpers whose cases only evaluate constant arguments. */
export const ANY_REQUEST: Request = admit(pod({ containers: [{ name: 'app', image: 'nginx:1.25' }] }));

/** A case: `call` is truthy → deny with its value as JSON (message), falsy → allow. */
export function truthy(name: string, call: string, message?: string, request: Request = ANY_REQUEST): SkillTestCase {
  return { name, call, request, expect: message === undefined ? { result: 'deny' } : { result: 'deny', message } };
}

export function falsy(name: string, call: string, request: Request = ANY_REQUEST): SkillTestCase {
  return { name, call, request, expect: { result: 'allow' } };
}

export function throws(name: string, call: string, message?: string, request: Request = ANY_REQUEST): SkillTestCase {
  return { name, call, request, expect: message === undefined ? { result: 'error' } : { result: 'error', message } };
}

// ---- examples ----

import type { ModelAnswer } from '../lib/model/answer.ts';

/** An example as written in skills/examples/<name>.ts: the intent and the approved model answer. */
export interface ExampleSource {
  intent: string;
  /** Extra words retrieval should find the example by. */
  keywords?: string[];
  answer: ModelAnswer;
}

const PLURALS: Record<string, string> = { Ingress: 'ingresses', NetworkPolicy: 'networkpolicies' };

/** An AdmissionRequest as the model writes it in a test (JSON), kind/resource/namespace/name taken from the object. */
export function requestJson(object: Obj, operation = 'CREATE', resource?: string): string {
  const apiVersion = String(object.apiVersion);
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const kind = String(object.kind);
  const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string };
  return JSON.stringify({
    operation,
    kind: { group, version, kind },
    resource: { group, version, resource: resource ?? PLURALS[kind] ?? `${kind.toLowerCase()}s` },
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    name: metadata.name,
    object: operation === 'DELETE' ? null : object,
    oldObject: operation === 'CREATE' ? null : object,
  });
}

/** One case per pod-bearing kind: `call` (over request.object) is truthy with `message` in its JSON, or falsy when `message` is null. */
export function kindCases(name: string, call: string, message: string | null, podSpec: Obj, podMetadata: Obj = {}): SkillTestCase[] {
  return everyKind(podSpec, podMetadata).map(([kind, object]) => (message === null ? falsy(`${kind}: ${name}`, call, admit(object)) : truthy(`${kind}: ${name}`, call, message, admit(object))));
}
