// Running PolicyTest cases: each case gets a fresh in-memory cluster and one run of the policy, as
// jsPolicy's webhook (Validating/Mutating) or its controller (Controller) would run it.
import { randomUUID } from 'node:crypto';
import type { AdmissionRequest, JsPolicy, KubeObject } from '../../../lib/k8s/types.ts';
import { formatDenial, validateJsPolicy } from '../../../lib/jspolicy/validate-spec.ts';
import { InMemoryCluster } from '../apiserver/index.ts';
import type { ApiResource, Cluster, HostAccess } from '../contracts.ts';
import { buildControllerRequest } from '../controller/request.ts';
import { resolveWatchedKinds } from '../controller/resolve.ts';
import { checkPolicyJavascript } from '../jspolicy/compile-check.ts';
import { runPolicyScript } from '../vm/index.ts';
import { admit } from '../webhook/admit.ts';
import { matchesOperation } from '../../../lib/policy/webhook-match.ts';
import { resolvePolicyScript } from '../webhook/script.ts';
import { isEmptySelector, matchesLabelSelector } from '../../../lib/policy/label-selector.ts';
import { compareCase } from './expect.ts';
import type { CaseActual } from './expect.ts';
import { loadPolicyTest } from './load.ts';
import type { PartialAdmissionRequest, PolicyTestCase } from './format.ts';

export const SERVICE_ACCOUNT_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';
export const POLICYTEST_TOKEN = 'policytest-service-account-token';
/** In-cluster addresses of the API server; requests to them reach the case's in-memory cluster. */
export const API_SERVER_URLS = ['https://kubernetes.default.svc.cluster.local', 'https://kubernetes.default.svc', 'https://kubernetes.default', 'https://kubernetes'];

export interface RunCasesOptions {
  env?: Record<string, string>;
  files?: Record<string, string>;
  /** Fixed clock (ms since the epoch); real time when absent. */
  nowMs?: number;
  /** Check the policy with jsPolicy's /crds validation and the compile step first (default true). */
  validate?: boolean;
  /** Receives print() lines of every case. */
  log?: (line: string) => void;
}

export interface CaseResult {
  name: string;
  passed: boolean;
  /** Why it failed, one entry per unmet expectation. */
  failures: string[];
  actual?: CaseActual;
  /** print() lines of the run. */
  logs: string[];
}

/** HostAccess of a test run: no network, the API server at its in-cluster addresses, the SA token file. */
export function testAccess(options: RunCasesOptions): HostAccess {
  return {
    allowNetwork: false,
    apiServerUrls: API_SERVER_URLS,
    files: { [SERVICE_ACCOUNT_TOKEN_PATH]: POLICYTEST_TOKEN, ...(options.files ?? {}) },
    env: { ...(options.env ?? {}) },
  };
}

/** Why jsPolicy would not run this policy at all (refused by its validation webhook, or CompileFailed). */
export function policyProblem(policy: JsPolicy): string | undefined {
  const errors = validateJsPolicy(policy);
  if (errors.length > 0) return `jsPolicy refuses this policy: admission webhook "jspolicy.jspolicy.com" denied the request: ${formatDenial(errors)}`;
  const compiled = checkPolicyJavascript(policy);
  if (!compiled.ok) return `jsPolicy cannot compile spec.javascript (CompileFailed, so it never runs): ${compiled.message}`;
  return undefined;
}

const sameObject = (a: KubeObject, b: KubeObject): boolean =>
  a.apiVersion === b.apiVersion && a.kind === b.kind && (a.metadata?.namespace ?? '') === (b.metadata?.namespace ?? '') && a.metadata?.name === b.metadata?.name;

function groupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function kindOfRequest(request: PartialAdmissionRequest): { group: string; version: string; kind: string } {
  if (request.kind) return { group: request.kind.group ?? '', version: request.kind.version, kind: request.kind.kind };
  const object = (request.object ?? request.oldObject) as KubeObject;
  return { ...groupVersion(object.apiVersion), kind: object.kind };
}

/** The request a real API server would send: defaults filled, kind/resource/name/namespace derived. */
export function completeRequest(request: PartialAdmissionRequest, resource: ApiResource | undefined): AdmissionRequest {
  const kind = kindOfRequest(request);
  const object = (request.object ?? null) as KubeObject | null;
  const oldObject = (request.oldObject ?? null) as KubeObject | null;
  const source = object ?? oldObject;
  const gvr = request.resource
    ? { group: request.resource.group ?? '', version: request.resource.version, resource: request.resource.resource }
    : { group: kind.group, version: kind.version, resource: resource?.resource ?? '' };
  const full: AdmissionRequest = {
    uid: request.uid ?? randomUUID(),
    kind,
    resource: gvr,
    requestKind: request.requestKind ?? { ...kind },
    requestResource: request.requestResource ?? { ...gvr },
    operation: request.operation,
    userInfo: request.userInfo ?? { username: 'test-user' },
    object,
    oldObject,
    dryRun: request.dryRun ?? false,
    options: request.options ?? null,
  };
  if (request.subResource) full.subResource = request.subResource;
  if (request.requestSubResource ?? request.subResource) full.requestSubResource = request.requestSubResource ?? request.subResource;
  const name = request.name ?? source?.metadata?.name;
  if (name) full.name = name;
  const namespaced = resource ? resource.namespaced : Boolean(request.namespace ?? source?.metadata?.namespace);
  const namespace = request.namespace ?? (namespaced ? source?.metadata?.namespace : undefined);
  if (namespace) full.namespace = namespace;
  return full;
}

function buildCluster(objects: KubeObject[], namespace: string | undefined, nowMs: number | undefined): Cluster {
  const all = [...objects];
  if (namespace && !all.some((o) => o.apiVersion === 'v1' && o.kind === 'Namespace' && o.metadata?.name === namespace)) {
    all.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'kubernetes.io/metadata.name': namespace } } });
  }
  return new InMemoryCluster({ objects: all, serviceAccountToken: POLICYTEST_TOKEN, now: nowMs === undefined ? undefined : () => nowMs });
}

function failed(name: string, failure: string, logs: string[] = []): CaseResult {
  return { name, passed: false, failures: [failure], logs };
}

function runWebhookCase(policy: JsPolicy, testCase: PolicyTestCase, clusterObjects: KubeObject[], options: RunCasesOptions): CaseResult {
  const logs: string[] = [];
  const log = (line: string): void => {
    logs.push(line);
    options.log?.(line);
  };
  const now = options.nowMs === undefined ? undefined : (): number => options.nowMs as number;
  const probe = new InMemoryCluster();
  const kind = kindOfRequest(testCase.request);
  const resource = probe.resourceFor(kind.group ? `${kind.group}/${kind.version}` : kind.version, kind.kind) ?? clusterResource(clusterObjects, kind);
  if (!resource && !testCase.request.resource) {
    return failed(testCase.name, `request.resource: the cluster does not serve ${kind.kind} in ${kind.group || 'core'}/${kind.version}; add request.resource or a CRD to cluster`);
  }
  const request = completeRequest(testCase.request, resource);
  const objects = [...clusterObjects];
  // At admission time an UPDATE/DELETE's oldObject is what the cluster stores.
  if ((request.operation === 'UPDATE' || request.operation === 'DELETE') && request.oldObject && !objects.some((o) => sameObject(o, request.oldObject as KubeObject))) {
    objects.push(request.oldObject as KubeObject);
  }
  let cluster: Cluster;
  try {
    cluster = buildCluster(objects, resource?.namespaced === false ? undefined : request.namespace, options.nowMs);
  } catch (error) {
    return failed(testCase.name, `cluster: ${(error as Error).message}`);
  }
  let v8: string | undefined;
  const outcome = admit(policy, request, { cluster, access: testAccess(options), log, now, onRun: (run) => (v8 = run.v8 || undefined) });
  let result: CaseActual['result'] = 'allow';
  if (!outcome.matched) result = 'unmatched';
  else if (outcome.unanswered) result = outcome.unanswered.kind;
  else if (outcome.violation) result = outcome.violation.kind;
  const actual: CaseActual = { result, enforced: !outcome.allowed, warnings: outcome.warnings, object: outcome.patchedObject ?? request.object ?? undefined };
  if (outcome.violation) actual.message = outcome.violation.message;
  if (outcome.unanswered) actual.message = outcome.unanswered.message;
  if (v8) actual.v8 = v8;
  const failures = compareCase(testCase.expect, actual);
  return { name: testCase.name, passed: failures.length === 0, failures, actual, logs };
}

/** A CustomResourceDefinition in the case's objects that serves the kind (discovery of a probe cluster). */
function clusterResource(objects: KubeObject[], kind: { group: string; version: string; kind: string }): ApiResource | undefined {
  if (!objects.some((o) => o.kind === 'CustomResourceDefinition')) return undefined;
  try {
    const probe = new InMemoryCluster({ objects: objects.filter((o) => o.kind === 'CustomResourceDefinition') });
    return probe.resourceFor(kind.group ? `${kind.group}/${kind.version}` : kind.version, kind.kind);
  } catch {
    return undefined;
  }
}

function runControllerCase(policy: JsPolicy, testCase: PolicyTestCase, clusterObjects: KubeObject[], options: RunCasesOptions): CaseResult {
  const logs: string[] = [];
  const log = (line: string): void => {
    logs.push(line);
    options.log?.(line);
  };
  const name = policy.metadata?.name ?? '';
  const spec = policy.spec ?? {};
  if (testCase.request.operation !== 'CREATE' && testCase.request.operation !== 'DELETE') {
    return failed(testCase.name, `request.operation: Controller policies only ever see CREATE (create/update/resync) and DELETE, not ${testCase.request.operation}`);
  }
  const kind = kindOfRequest(testCase.request);
  const object = (testCase.request.object ?? null) as KubeObject | null;
  if (testCase.request.operation === 'CREATE' && !object) {
    return failed(testCase.name, 'request.object: a Controller policy sees CREATE for an object that exists — add request.object');
  }
  const labelsSource = (object ?? testCase.request.oldObject ?? null) as KubeObject | null;
  const objects = [...clusterObjects];
  if (object && !objects.some((o) => sameObject(o, object))) objects.push(object);
  const namespace = testCase.request.namespace ?? labelsSource?.metadata?.namespace;
  let cluster: Cluster;
  try {
    cluster = buildCluster(objects, namespace, options.nowMs);
  } catch (error) {
    return failed(testCase.name, `cluster: ${(error as Error).message}`);
  }
  const watched = resolveWatchedKinds(policy, cluster);
  if (!watched.ok) return failed(testCase.name, `the controller would not start: error starting controller policy: ${watched.message}`);
  const watchedKind = watched.kinds.find((k) => k.group === kind.group && k.kind === kind.kind);
  const unmatched = (): CaseResult => {
    const actual: CaseActual = { result: 'unmatched', enforced: false, warnings: [] };
    const failures = compareCase(testCase.expect, actual);
    return { name: testCase.name, passed: failures.length === 0, failures, actual, logs };
  };
  if (!watchedKind) return unmatched();
  if (!matchesLabelSelector(spec.objectSelector, labelsSource?.metadata?.labels ?? {})) return unmatched();
  if (watchedKind.namespaced && !isEmptySelector(spec.namespaceSelector)) {
    const ns = cluster.get('v1', 'Namespace', undefined, namespace ?? '');
    if (!ns || !matchesLabelSelector(spec.namespaceSelector, ns.metadata?.labels ?? {})) return unmatched();
  }
  const objectName = testCase.request.name ?? labelsSource?.metadata?.name ?? '';
  const key = { group: watchedKind.group, version: watchedKind.version, kind: watchedKind.kind, namespace: watchedKind.namespaced ? namespace ?? '' : '', name: objectName };
  const stored = object ? cluster.get(object.apiVersion, object.kind, key.namespace || undefined, objectName) : undefined;
  if (testCase.request.operation === 'DELETE' && object && stored && !stored.metadata?.deletionTimestamp) {
    stored.metadata = { ...stored.metadata, deletionTimestamp: new Date(options.nowMs ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }
  const request = buildControllerRequest(key, testCase.request.operation === 'DELETE' && !object ? undefined : stored ?? object ?? undefined);
  if (!matchesOperation(spec.operations, request.operation)) return unmatched();
  const script = resolvePolicyScript(policy, cluster);
  const outcome = script.ok
    ? runPolicyScript({
        policyName: name,
        javascript: script.javascript,
        request,
        timeoutSeconds: spec.timeoutSeconds ?? 10,
        cluster,
        access: testAccess(options),
        log,
        now: options.nowMs === undefined ? undefined : () => options.nowMs as number,
      })
    : ({ kind: 'error', message: script.error, durationMs: 0, v8: '' } as const);
  const actual: CaseActual = { result: 'allow', enforced: false, warnings: [] };
  if (outcome.v8) actual.v8 = outcome.v8;
  if (outcome.kind !== 'completed') {
    actual.result = outcome.kind;
    actual.message = outcome.message;
  } else {
    actual.warnings = (outcome.response.warnings ?? []).map((w) => `[${name}]: ${w}`);
    if (outcome.response.deny) {
      actual.result = 'deny';
      actual.message = outcome.response.message ?? '';
    } else if (outcome.response.reschedule) {
      actual.result = 'requeue';
      if (outcome.response.message) actual.message = outcome.response.message;
    }
  }
  if (object) actual.object = cluster.get(object.apiVersion, object.kind, key.namespace || undefined, objectName);
  const failures = compareCase(testCase.expect, actual);
  return { name: testCase.name, passed: failures.length === 0, failures, actual, logs };
}

/**
 * Runs each case against `policy` in a fresh cluster preloaded with `clusterObjects` (plus the request's
 * Namespace when missing, and for UPDATE/DELETE the oldObject, which the cluster holds at admission time;
 * for Controller policies the object itself). When `validate` is on (default) and jsPolicy would refuse or
 * fail to compile the policy, every case fails with that reason.
 */
export function runPolicyTestCases(policy: JsPolicy, cases: PolicyTestCase[], clusterObjects: KubeObject[] = [], options: RunCasesOptions = {}): CaseResult[] {
  if (options.validate !== false) {
    const problem = policyProblem(policy);
    if (problem) return cases.map((c) => failed(c.name, problem));
  }
  return cases.map((testCase) => {
    try {
      return policy.spec?.type === 'Controller'
        ? runControllerCase(policy, testCase, clusterObjects, options)
        : runWebhookCase(policy, testCase, clusterObjects, options);
    } catch (error) {
      return failed(testCase.name, `the runtime failed: ${(error as Error).stack ?? String(error)}`);
    }
  });
}

/** loadPolicyTest + runPolicyTestCases. Throws (PolicyTestError) for mistakes in the file. */
export function runPolicyTestFile(file: string, options: Omit<RunCasesOptions, 'env' | 'files' | 'nowMs'> & { prepare?: (policy: JsPolicy) => JsPolicy } = {}): CaseResult[] {
  const document = loadPolicyTest(file);
  const { prepare, ...rest } = options;
  const runOptions: RunCasesOptions = { ...rest };
  if (document.env) runOptions.env = document.env;
  if (document.files) runOptions.files = document.files;
  if (document.nowMs !== undefined) runOptions.nowMs = document.nowMs;
  return runPolicyTestCases(prepare ? prepare(document.policy) : document.policy, document.cases, document.cluster, runOptions);
}
