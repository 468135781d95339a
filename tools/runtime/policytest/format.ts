// The PolicyTest file format and its validation (errors name the field and the fix).
//
//   kind: PolicyTest
//   policy: deny-prod.yaml        # JsPolicy manifest, relative to this file (or an inline JsPolicy object).
//                                 # Other documents in that file (e.g. its JsPolicyBundle) join the cluster.
//   cluster: []                   # optional objects the cluster holds (Namespaces with labels, ConfigMaps, …)
//   env: {}                       # optional env() variables of the jsPolicy container
//   files: {}                     # optional readFileSync() files (path → content)
//   now: "2024-01-01T00:00:00Z"   # optional clock (Date inside runs, timestamps)
//   cases:
//     - name: prod pod in test is denied
//       request: {operation: CREATE, kind: {...}, namespace: test, name: web, object: {...}}
//       expect:
//         result: deny            # the policy's own verdict, BEFORE violationPolicy:
//                                 #   allow | deny | error | unmatched (its webhook never sees it)
//                                 #   | requeue (Controller policies only)
//                                 #   | hang (the run never returns: jsPolicy's timeout cannot stop it, its VM is lost)
//                                 #   | crash (the run takes jsPolicy's process down: V8's heap or size limits)
//         enforced: true          # optional: after violationPolicy, does the API server reject the request?
//         message: env=prod       # optional: substring of the deny or error message
//         warnings: []            # optional: the warnings the client gets (after violationPolicy), in order,
//                                 #   each entry a substring of that warning ([] = none)
//         object: {}              # optional: subset the object must contain as the API server stores it
//                                 #   (after mutation; unchanged under violationPolicy Dry)
import type { AdmissionRequest, JsPolicy, KubeObject } from '../../../lib/k8s/types.ts';

export const RESULTS = ['allow', 'deny', 'error', 'unmatched', 'requeue', 'hang', 'crash'] as const;
export type CaseVerdict = (typeof RESULTS)[number];
const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export interface CaseExpectation {
  result: CaseVerdict;
  enforced?: boolean;
  message?: string;
  warnings?: string[];
  object?: Record<string, unknown>;
}

/** An AdmissionRequest where everything but `operation` may be left out (filled from object/oldObject and discovery). */
export type PartialAdmissionRequest = Partial<AdmissionRequest> & { operation: AdmissionRequest['operation'] };

export interface PolicyTestCase {
  name: string;
  request: PartialAdmissionRequest;
  expect: CaseExpectation;
}

export interface PolicyTestDocument {
  /** The JsPolicy under test. */
  policy: JsPolicy;
  /** Objects preloaded into every case's cluster (the policy file's other documents first). */
  cluster: KubeObject[];
  env?: Record<string, string>;
  files?: Record<string, string>;
  /** ms since the epoch, from `now`. */
  nowMs?: number;
  cases: PolicyTestCase[];
}

/** A mistake in a PolicyTest file. `field` is the path of the offending field. */
export class PolicyTestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'PolicyTestError';
  }
}

const isMap = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

function stringMap(value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isMap(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new PolicyTestError(field, 'must be a mapping of strings to strings (quote numbers and booleans)');
  }
  return value as Record<string, string>;
}

export function checkKubeObject(value: unknown, field: string): KubeObject {
  if (!isMap(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string' || !isMap(value.metadata)) {
    throw new PolicyTestError(field, 'must be a Kubernetes object with apiVersion, kind and metadata');
  }
  if (typeof value.metadata.name !== 'string' || value.metadata.name === '') throw new PolicyTestError(`${field}.metadata.name`, 'is required');
  return value as KubeObject;
}

function checkRequest(value: unknown, field: string): PartialAdmissionRequest {
  if (value === undefined || value === null) {
    throw new PolicyTestError(field, 'is missing — add the AdmissionRequest the policy receives, e.g. {operation: CREATE, object: {apiVersion: v1, kind: Pod, metadata: {name: web, namespace: test}}}');
  }
  if (!isMap(value)) throw new PolicyTestError(field, 'must be a mapping (an AdmissionRequest)');
  if (typeof value.operation !== 'string' || !OPERATIONS.includes(value.operation)) {
    throw new PolicyTestError(`${field}.operation`, `must be one of ${OPERATIONS.join(', ')} (got ${JSON.stringify(value.operation)})`);
  }
  for (const key of ['object', 'oldObject'] as const) {
    const object = value[key];
    if (object !== undefined && object !== null && !isMap(object)) throw new PolicyTestError(`${field}.${key}`, 'must be an object or null');
  }
  if (value.kind !== undefined && (!isMap(value.kind) || typeof value.kind.kind !== 'string' || typeof value.kind.version !== 'string')) {
    throw new PolicyTestError(`${field}.kind`, 'must be {group, version, kind} (group "" for the core API)');
  }
  if (value.resource !== undefined && (!isMap(value.resource) || typeof value.resource.resource !== 'string' || typeof value.resource.version !== 'string')) {
    throw new PolicyTestError(`${field}.resource`, 'must be {group, version, resource} (resource is the plural, e.g. pods)');
  }
  const typed = value as Record<string, unknown>;
  const hasKind = isMap(typed.kind) || [typed.object, typed.oldObject].some((o) => isMap(o) && typeof o.kind === 'string' && typeof o.apiVersion === 'string');
  if (!hasKind) throw new PolicyTestError(`${field}.kind`, 'is missing and cannot be taken from request.object/oldObject — add kind: {group, version, kind}');
  return value as PartialAdmissionRequest;
}

function checkExpect(value: unknown, field: string): CaseExpectation {
  if (!isMap(value)) throw new PolicyTestError(field, `is missing — add expect: {result: ${RESULTS.join(' | ')}}`);
  if (typeof value.result !== 'string' || !(RESULTS as readonly string[]).includes(value.result)) {
    throw new PolicyTestError(`${field}.result`, `must be one of ${RESULTS.join(', ')} (got ${JSON.stringify(value.result)})`);
  }
  const expect: CaseExpectation = { result: value.result as CaseVerdict };
  if (value.enforced !== undefined) {
    if (typeof value.enforced !== 'boolean') throw new PolicyTestError(`${field}.enforced`, 'must be true or false');
    expect.enforced = value.enforced;
  }
  if (value.message !== undefined) {
    if (typeof value.message !== 'string') throw new PolicyTestError(`${field}.message`, 'must be a string (a substring of the deny or error message)');
    expect.message = value.message;
  }
  if (value.warnings !== undefined) {
    if (!Array.isArray(value.warnings) || value.warnings.some((w) => typeof w !== 'string')) {
      throw new PolicyTestError(`${field}.warnings`, 'must be a list of strings ([] = no warnings)');
    }
    expect.warnings = value.warnings as string[];
  }
  if (value.object !== undefined) {
    if (!isMap(value.object)) throw new PolicyTestError(`${field}.object`, 'must be a mapping (a subset of the object)');
    expect.object = value.object;
  }
  const known = new Set(['result', 'enforced', 'message', 'warnings', 'object']);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) throw new PolicyTestError(`${field}.${key}`, `unknown field; expect takes ${[...known].join(', ')}`);
  }
  return expect;
}

export function checkCases(value: unknown, field = 'cases'): PolicyTestCase[] {
  if (!Array.isArray(value) || value.length === 0) throw new PolicyTestError(field, 'must be a non-empty list of {name, request, expect}');
  return value.map((entry, index) => {
    const at = `${field}[${index}]`;
    if (!isMap(entry)) throw new PolicyTestError(at, 'must be a mapping {name, request, expect}');
    const name = entry.name === undefined ? `case ${index + 1}` : entry.name;
    if (typeof name !== 'string') throw new PolicyTestError(`${at}.name`, 'must be a string');
    const label = `${at} (${JSON.stringify(name)})`;
    return { name, request: checkRequest(entry.request, `${label}.request`), expect: checkExpect(entry.expect, `${label}.expect`) };
  });
}

export function checkPolicy(value: unknown, field: string): JsPolicy {
  const object = checkKubeObject(value, field);
  if (object.kind !== 'JsPolicy' || object.apiVersion !== 'policy.jspolicy.com/v1beta1') {
    throw new PolicyTestError(field, `must be a JsPolicy (apiVersion policy.jspolicy.com/v1beta1), got ${object.apiVersion} ${object.kind}`);
  }
  if (!isMap(object.spec)) throw new PolicyTestError(`${field}.spec`, 'is required');
  return object as JsPolicy;
}

/** Validates the parts of a PolicyTest that do not need the file system. */
export function checkDocument(doc: unknown): { cluster: KubeObject[]; env?: Record<string, string>; files?: Record<string, string>; nowMs?: number; cases: PolicyTestCase[] } {
  if (!isMap(doc)) throw new PolicyTestError('(document)', 'a PolicyTest must be a mapping with kind: PolicyTest, policy and cases');
  if (doc.kind !== 'PolicyTest') throw new PolicyTestError('kind', `must be PolicyTest (got ${JSON.stringify(doc.kind)})`);
  const cluster = doc.cluster ?? [];
  if (!Array.isArray(cluster)) throw new PolicyTestError('cluster', 'must be a list of Kubernetes objects');
  const objects = cluster.map((object, index) => checkKubeObject(object, `cluster[${index}]`));
  let nowMs: number | undefined;
  if (doc.now !== undefined) {
    nowMs = typeof doc.now === 'string' ? Date.parse(doc.now) : doc.now instanceof Date ? doc.now.getTime() : NaN;
    if (!Number.isFinite(nowMs)) throw new PolicyTestError('now', 'must be an RFC 3339 time such as "2024-01-01T00:00:00Z"');
  }
  const known = new Set(['kind', 'apiVersion', 'policy', 'cluster', 'env', 'files', 'now', 'cases']);
  for (const key of Object.keys(doc)) {
    if (!known.has(key)) throw new PolicyTestError(key, `unknown field; a PolicyTest takes ${[...known].join(', ')}`);
  }
  const result: ReturnType<typeof checkDocument> = { cluster: objects, cases: checkCases(doc.cases) };
  const env = stringMap(doc.env, 'env');
  const files = stringMap(doc.files, 'files');
  if (env) result.env = env;
  if (files) result.files = files;
  if (nowMs !== undefined) result.nowMs = nowMs;
  return result;
}
