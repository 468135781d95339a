// Every JsPolicy manifest of jsPolicy's own repository (copied to /work/shared/real-policies) runs in the
// local runtime with a request its webhook matches (Controller policies through ControllerLoop), and
// gives the answer jsPolicy would. Some of these examples have genuine bugs (list() returns undefined
// when nothing matches; an undeclared `errors`); those are expected to fail the way jsPolicy fails them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { AdmissionRequest, JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import type { ApiResource, Cluster, HostAccess } from '../../tools/runtime/contracts.ts';
import { ControllerLoop } from '../../tools/runtime/controller/loop.ts';
import { admit } from '../../tools/runtime/webhook/admit.ts';
import { decodeBundle } from '../../tools/runtime/webhook/script.ts';
import type { AdmissionOutcome } from '../../tools/runtime/webhook/types.ts';
import { JSPOLICY_V8 } from '../fixtures/engine.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.resolve(repoRoot, '../shared/real-policies');
const TOKEN = 'real-policies-sa-token';
const TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) return yamlFiles(full);
      return /\.ya?ml$/.test(entry) ? [full] : [];
    });
}

// The corpus lives beside the repository (the workplace's shared/, where CI has it); a clone
// without it skips these, and says so.
const present = existsSync(CORPUS);
if (!present) console.warn(`${CORPUS} is not there: the real-policies tests are skipped`);
const files = present ? yamlFiles(CORPUS) : [];
const docsOf = (file: string): KubeObject[] =>
  parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as KubeObject | null)
    .filter((d): d is KubeObject => !!d);
const allDocs = files.flatMap(docsOf);
const bundles = allDocs.filter((d) => d.kind === 'JsPolicyBundle');

type Expected = { result: 'allow' | 'deny' | 'error' | 'mutate'; match?: RegExp; warnings?: number; allowed?: boolean; access?: 'api-server' };

/** What jsPolicy answers for the generated request (see request() below). */
const EXPECTED: Record<string, Expected> = {
  'examples/by-feature/audit.yaml': { result: 'deny', match: /Do not create pods in the default namespace/ },
  // MyCustomKind is not served: get() throws jsPolicy's RetrieveObject object.
  'examples/by-feature/cache.yaml': { result: 'error', match: /RetrieveObject/ },
  'examples/by-feature/create.yaml': { result: 'allow' },
  'examples/by-feature/dependencies.yaml': { result: 'error', match: /has spec\.dependencies \(lodash\).*precompiled JsPolicyBundle/ },
  'examples/by-feature/env.yaml': { result: 'allow' },
  // No network: the uncaught fetchSync throws jsPolicy's transport error string.
  'examples/by-feature/fetch.yaml': { result: 'error', match: /^fetchSync: / },
  'examples/by-feature/get.yaml': { result: 'allow' },
  // list() answers undefined when nothing matches: `pods.length` throws (a bug in the example).
  'examples/by-feature/list.yaml': { result: 'error', match: /^Uncaught TypeError: Cannot read properties of undefined \(reading 'length'\)/ },
  'examples/by-feature/mutate.yaml': { result: 'mutate' },
  'examples/by-feature/namespace-selector.yaml': { result: 'deny', match: /no pods are allowed in this namespace/ },
  'examples/by-feature/object-selector.yaml': { result: 'deny', match: /no pods are allowed with these labels/ },
  'examples/by-feature/precompiled.yaml': { result: 'deny', match: /privileged/ },
  'examples/by-feature/print.yaml': { result: 'allow' },
  // The token comes from the virtual file system; https://kubernetes.default is the in-memory API server.
  'examples/by-feature/read-file.yaml': { result: 'allow', access: 'api-server' },
  'examples/by-feature/regex.yaml': { result: 'deny', match: /name ubuntu not allowed/ },
  'examples/by-feature/remove.yaml': { result: 'allow', warnings: 1 },
  'examples/by-feature/scope.yaml': { result: 'allow', warnings: 1 },
  'examples/by-feature/sleep.yaml': { result: 'allow' },
  'examples/by-feature/timeout.yaml': { result: 'error', match: /^script timeout\.resource\.example timed out$/ },
  'examples/by-feature/update.yaml': { result: 'error', match: /Cannot read properties of undefined \(reading 'length'\)/ },
  // violationPolicy Warn: the verdict is deny, the request goes through with the message as a warning.
  'examples/by-feature/violation-policy.yaml': { result: 'deny', match: /Do not create pods in the default namespace/, warnings: 1, allowed: true },
  'examples/by-feature/warn.yaml': { result: 'allow', warnings: 2 },
  'examples/by-use-case/Add-PSA-Labels-To-Namespace.yaml': { result: 'mutate' },
  'examples/by-use-case/Deny-Service-Type-Nodeport.yaml': { result: 'deny', match: /service type NodePort is not allowed/ },
  'examples/by-use-case/add-node-selector.yaml': { result: 'mutate' },
  'examples/by-use-case/block-update-on-resource-with-label.yaml': { result: 'deny', match: /cannot UPDATE protected Pod ubuntu/ },
  'examples/by-use-case/deny-certain-ingress-classes.yaml': { result: 'deny', match: /ingress class traefik is not allowed/ },
  'examples/by-use-case/deny-default-namespace.yaml': { result: 'deny', match: /default namespace is not allowed/ },
  'examples/by-use-case/deny-privilege-escalation.yaml': { result: 'deny', match: /allowPrivilegeEscalation/ },
  'examples/by-use-case/deny-specific-container-image.yaml': { result: 'deny', match: /container image ubuntu:22\.04 is not allowed/ },
  'examples/by-use-case/inject-sidecar-container.yaml': { result: 'allow' },
  'examples/by-use-case/restrict-pods-amount-per-node.yaml': { result: 'allow' },
  'examples/by-use-case/set-imagepullpolicy.yaml': { result: 'mutate' },
  // list() of Ingresses is undefined in an empty cluster: `.forEach` throws (a bug in the example).
  'examples/by-use-case/unique-ingress-host.yaml': { result: 'error', match: /Cannot read properties of undefined \(reading 'forEach'\)/ },
  'examples/by-use-case/unique-pod-labels.yaml': { result: 'error', match: /has spec\.dependencies \(lodash\)/ },
  'examples/simple-mutate.yaml': { result: 'allow' },
  'examples/simple-validate.yaml': { result: 'allow' },
  'library/general/allowedrepos/policy.yaml': { result: 'deny', match: /must be pulled from {2}registry\.k8s\.io,gcr\.io/ },
  'library/general/block-loadbalancer-services/policy.yaml': { result: 'deny', match: /web => service type LoadBalancer is not allowed!/ },
  'library/general/block-nodeport-services/policy.yaml': { result: 'deny', match: /service type NodePort is not allowed/ },
};

function firstOperation(policy: JsPolicy): AdmissionRequest['operation'] {
  const ops = (policy.spec.operations ?? []).filter((op) => op !== '*');
  return (ops[0] ?? 'CREATE') as AdmissionRequest['operation'];
}

function resourceFor(policy: JsPolicy, cluster: Cluster): ApiResource {
  const plural = (policy.spec.resources ?? []).find((r) => !r.includes('*')) ?? 'pods';
  const groups = policy.spec.apiGroups ?? ['*'];
  const found = cluster.resources().find((r) => r.resource === plural && (groups.includes('*') || groups.includes(r.group)));
  if (!found) throw new Error(`no served resource ${plural}`);
  return found;
}

/** An object of the kind, shaped so the example's code paths have something to look at. */
function objectFor(resource: ApiResource, namespace: string, labels: Record<string, string>, file: string): KubeObject {
  const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
  const name = /regex|block-update/.test(file) ? 'ubuntu' : 'web';
  const metadata = resource.namespaced ? { name, namespace, labels } : { name: namespace, labels };
  switch (resource.kind) {
    case 'Pod': {
      const image = /deny-specific-container-image/.test(file) ? 'ubuntu:22.04' : 'nginx';
      const securityContext = /privilege-escalation/.test(file) ? { allowPrivilegeEscalation: true } : /precompiled/.test(file) ? { privileged: true } : undefined;
      return { apiVersion, kind: 'Pod', metadata, spec: { containers: [{ name: 'app', image, ...(securityContext ? { securityContext } : {}) }] } };
    }
    case 'Service':
      return { apiVersion, kind: 'Service', metadata, spec: { type: /nodeport/i.test(file) ? 'NodePort' : 'LoadBalancer', ports: [{ port: 80 }] } };
    case 'Ingress':
      return { apiVersion, kind: 'Ingress', metadata, spec: { ingressClassName: 'traefik', rules: [{ host: 'a.example.com' }] } };
    case 'ConfigMap':
      return { apiVersion, kind: 'ConfigMap', metadata, data: { k: 'v' } };
    default:
      return { apiVersion, kind: resource.kind, metadata, spec: {} };
  }
}

const access = (apiServer: boolean): HostAccess => ({
  allowNetwork: false,
  files: { [TOKEN_PATH]: TOKEN },
  ...(apiServer ? { apiServerUrls: ['https://kubernetes.default'] } : {}),
});

function runWebhookPolicy(file: string, policy: JsPolicy, expected: Expected): { outcome: AdmissionOutcome; logs: string[]; v8: string } {
  const namespace = /audit|violation-policy|deny-default-namespace/.test(file) ? 'default' : 'team';
  const nsLabels = { ...(policy.spec.namespaceSelector?.matchLabels ?? {}) };
  const objectLabels = { ...(policy.spec.objectSelector?.matchLabels ?? {}) };
  const cluster = new InMemoryCluster({
    serviceAccountToken: TOKEN,
    objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: nsLabels } }, ...bundles],
  });
  const resource = resourceFor(policy, cluster);
  const operation = firstOperation(policy);
  const object = objectFor(resource, namespace, objectLabels, file);
  const request: AdmissionRequest = {
    uid: 'real-policies',
    kind: { group: resource.group, version: resource.version, kind: resource.kind },
    resource: { group: resource.group, version: resource.version, resource: resource.resource },
    name: object.metadata.name,
    namespace: resource.namespaced ? namespace : undefined,
    operation,
    userInfo: { username: 'test-user' },
    object: operation === 'DELETE' ? null : object,
    oldObject: operation === 'CREATE' ? null : object,
    options: null,
  };
  const logs: string[] = [];
  let v8 = '';
  const outcome = admit(policy, request, { cluster, access: access(expected.access === 'api-server'), log: (l) => logs.push(l), onRun: (run) => (v8 = run.v8) });
  return { outcome, logs, v8 };
}

const relative = (file: string) => path.relative(CORPUS, file);

describe.skipIf(!present)('real jsPolicy manifests run in the local runtime', () => {
  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  const webhookPolicies = files.flatMap((file) =>
    docsOf(file)
      .filter((d) => d.kind === 'JsPolicy' && (d as JsPolicy).spec?.type !== 'Controller')
      .map((policy) => [relative(file), policy as JsPolicy] as const),
  );

  it.each(webhookPolicies)('%s', (file, policy) => {
    const expected = EXPECTED[file];
    expect(expected, `add an expectation for ${file}`).toBeDefined();
    if (!expected) return;
    const { outcome, v8 } = runWebhookPolicy(file, policy, expected);
    expect(outcome.matched).toBe(true);
    // A policy with spec.dependencies never runs locally (it is refused before the engine).
    if (!policy.spec?.dependencies) expect(v8).toEqual(JSPOLICY_V8);
    const verdict = outcome.violation?.kind ?? (outcome.patch ? 'mutate' : 'allow');
    expect({ verdict, message: outcome.violation?.message }).toMatchObject({ verdict: expected.result });
    if (expected.match) expect(outcome.violation?.message ?? '').toMatch(expected.match);
    if (expected.warnings !== undefined) expect(outcome.warnings).toHaveLength(expected.warnings);
    expect(outcome.allowed).toBe(expected.allowed ?? (expected.result === 'allow' || expected.result === 'mutate'));
  });

  it('read-file.yaml lists the in-memory namespaces with the virtual SA token', () => {
    const file = 'examples/by-feature/read-file.yaml';
    const policy = docsOf(path.join(CORPUS, file))[0] as JsPolicy;
    const { outcome, logs } = runWebhookPolicy(file, policy, { result: 'allow', access: 'api-server' });
    expect(outcome.allowed).toBe(true);
    expect(logs, logs.join('\n')).toContain('[read-file-policy.example.com] team');
  });

  it('read-file.yaml without the API server: the fetch gets the transport error, nothing leaves the process', () => {
    const file = 'examples/by-feature/read-file.yaml';
    const policy = docsOf(path.join(CORPUS, file))[0] as JsPolicy;
    const { outcome } = runWebhookPolicy(file, policy, { result: 'error' });
    expect(outcome.error).toMatch(/^fetchSync: /);
  });

  it('every JsPolicyBundle decodes and belongs to a JsPolicy of the corpus', () => {
    expect(bundles.length).toBeGreaterThan(0);
    for (const bundle of bundles) {
      expect(decodeBundle((bundle.spec as { bundle: string }).bundle)).toMatch(/deny/);
      expect(allDocs.some((d) => d.kind === 'JsPolicy' && d.metadata.name === bundle.metadata.name)).toBe(true);
    }
  });
});

describe.skipIf(!present)('real Controller policies run through ControllerLoop', () => {
  const controllerOf = (file: string) => docsOf(path.join(CORPUS, file))[0] as JsPolicy;
  const settle = (policy: JsPolicy, objects: KubeObject[]) => {
    const cluster = new InMemoryCluster({ objects });
    const logs: string[] = [];
    const loop = new ControllerLoop({ cluster, policy, log: (l) => logs.push(l), epochMs: Date.parse('2024-01-01T00:00:00Z') });
    expect(loop.start()).toMatchObject({ ok: true });
    return { cluster, stats: loop.runUntilSettled(), logs };
  };

  it('examples/by-feature/controller.yaml creates a ResourceQuota in labelled namespaces', () => {
    const { cluster, stats } = settle(controllerOf('examples/by-feature/controller.yaml'), [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { 'create-rq': 'true' } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } },
    ]);
    expect(stats).toMatchObject({ errors: [], denials: [], settled: true });
    expect(cluster.get('v1', 'ResourceQuota', 'team', 'my-resource-quota')).toBeDefined();
    expect(cluster.get('v1', 'ResourceQuota', 'other', 'my-resource-quota')).toBeUndefined();
  });

  it('examples/simple-controller.yaml creates a ConfigMap in labelled namespaces', () => {
    const { cluster, stats } = settle(controllerOf('examples/simple-controller.yaml'), [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { 'add-configmap': 'true' } } },
    ]);
    expect(stats).toMatchObject({ runs: 1, errors: [], settled: true });
    expect(cluster.get('v1', 'ConfigMap', 'team', 'my-config-map')?.data).toEqual({ 'my-data': 'Hello World, I was created in team' });
  });

  it('examples/by-use-case/sync-secrets.yaml copies the data of a sync secret to its children', () => {
    const { cluster, stats } = settle(controllerOf('examples/by-use-case/sync-secrets.yaml'), [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'parent', namespace: 'team', labels: { sync: 'true' } }, data: { a: 'bmV3' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'child', namespace: 'team', labels: { 'owner-name': 'parent', 'owner-namespace': 'team' } }, data: { a: 'b2xk' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'unrelated', namespace: 'team' }, data: { a: 'eA==' } },
    ]);
    expect(stats).toMatchObject({ errors: [], settled: true });
    expect(cluster.get('v1', 'Secret', 'team', 'child')?.data).toEqual({ a: 'bmV3' });
  });

  it('every Controller manifest of the corpus is covered above', () => {
    const controllers = files.filter((file) => docsOf(file).some((d) => d.kind === 'JsPolicy' && (d as JsPolicy).spec?.type === 'Controller')).map(relative);
    expect(controllers.sort()).toEqual(['examples/by-feature/controller.yaml', 'examples/by-use-case/sync-secrets.yaml', 'examples/simple-controller.yaml']);
  });
});
