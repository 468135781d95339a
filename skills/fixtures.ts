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

const templated = (apiVersion: string, kind: string) => (podSpec: Obj, metadata: Obj = {}): Obj => ({
  apiVersion,
  kind,
  metadata: { name: 'web', namespace: 'default', ...metadata },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } },
});

export const deployment = templated('apps/v1', 'Deployment');
export const statefulSet = templated('apps/v1', 'StatefulSet');
export const daemonSet = templated('apps/v1', 'DaemonSet');
export const replicaSet = templated('apps/v1', 'ReplicaSet');
export const job = templated('batch/v1', 'Job');

export function cronJob(podSpec: Obj, metadata: Obj = {}): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'default', ...metadata },
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: podSpec } } } },
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
