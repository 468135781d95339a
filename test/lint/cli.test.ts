import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crdToServedResources } from '../../lib/k8s/crd-resources.ts';
import { lintCommand } from '../../tools/cli/lint.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gptpolicy-lint-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await lintCommand(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const GOOD = `apiVersion: policy.jspolicy.com/v1beta1
kind: JsPolicy
metadata:
  name: no-host-network.policies.example.com
spec:
  type: Validating
  operations: ["CREATE"]
  resources: ["pods"]
  apiGroups: [""]
  javascript: |
    if (request.object.spec.hostNetwork) {
      deny('host network is not allowed');
    }
`;

const IAM = `apiVersion: policy.jspolicy.com/v1beta1
kind: JsPolicy
metadata:
  name: no-owner.policies.example.com
spec:
  type: Validating
  operations: ["CREATE"]
  resources: ["iampolicies"]
  apiGroups: ["configconnector.cnrm.cloud.google.com"]
  javascript: |
    const b = request.object.spec.bindings ?? [];
    if (b.some(x => x.role === 'roles/owner')) deny('no owners');
    violations.push('x');
`;

const CLUSTER = `apiVersion: v1
kind: List
items:
  - apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: iampolicies.iam.cnrm.cloud.google.com
    spec:
      group: iam.cnrm.cloud.google.com
      scope: Namespaced
      names: {kind: IAMPolicy, plural: iampolicies, singular: iampolicy}
      versions:
        - name: v1beta1
          served: true
          storage: true
          subresources: {status: {}}
        - name: v1alpha1
          served: false
          storage: false
`;

describe('gptpolicy lint', () => {
  it('exits 0 and prints a summary for a clean file', async () => {
    const r = await run([write('good.yaml', GOOD)]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('1 policy checked (generated profile): 0 errors, 0 warnings\n');
  });

  it('lints every JsPolicy of a multi-document file against builtins + --cluster CRDs', async () => {
    const file = write('multi.yaml', GOOD + '---\n' + IAM + '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const cluster = write('cluster.yaml', CLUSTER);
    const r = await run([file, '--cluster', cluster]);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines).toContain(
      `${file}: no-owner.policies.example.com: error api-group-mismatch (spec.apiGroups): "iampolicies" is served by group "iam.cnrm.cloud.google.com", not by "configconnector.cnrm.cloud.google.com": this resource never matches.`,
    );
    expect(lines).toContain('  hint: "iampolicies" belongs to API group "iam.cnrm.cloud.google.com": set apiGroups to ["iam.cnrm.cloud.google.com"].');
    // javascript line 3 is file line 27 (the `|` block starts on line 24)
    expect(r.out).toContain('error undeclared-name (javascript:3:1, line 27): `violations` is used but never declared');
    expect(r.out).toContain('2 policies checked (generated profile): 2 errors, 0 warnings');
  });

  it('without --cluster the CRD resource is unknown', async () => {
    const r = await run([write('iam.yaml', IAM), '--json']);
    const json = JSON.parse(r.out);
    expect(json.results[0].findings.map((f: { rule: string }) => f.rule)).toEqual(['unknown-resource', 'undeclared-name']);
    expect(json.results[0].findings[1]).toMatchObject({ line: 3, column: 1, fileLine: 13 });
    expect(json.summary).toEqual({ policies: 1, errors: 2, warnings: 0 });
    expect(r.code).toBe(1);
  });

  it('--profile jspolicy turns policy-shape rules into warnings', async () => {
    const file = write('loose.yaml', GOOD.replace('  type: Validating\n', '').replace('  apiGroups: [""]\n', ''));
    expect((await run([file])).code).toBe(1);
    const r = await run([file, '--profile=jspolicy', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).summary).toEqual({ policies: 1, errors: 0, warnings: 1 });
  });

  it('reports usage errors with exit code 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['x.yaml', '--profile', 'strict'])).err).toContain('--profile must be generated or jspolicy');
    expect((await run(['x.yaml', '--bogus'])).code).toBe(2);
  });

  it('fails on unreadable files and notes files without JsPolicies', async () => {
    const r = await run([path.join(dir, 'missing.yaml'), write('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\n')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('missing.yaml: ENOENT');
    expect(r.err).toContain('cm.yaml: no JsPolicy found');
  });
});

describe('crdToServedResources', () => {
  it('keeps served versions only', () => {
    expect(
      crdToServedResources({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        spec: {
          group: 'example.com',
          scope: 'Cluster',
          names: { kind: 'Widget', plural: 'widgets' },
          versions: [
            { name: 'v1', served: true },
            { name: 'v2', served: true, subresources: { status: {} } },
            { name: 'v0', served: false },
          ],
        },
      }),
    ).toEqual([
      { group: 'example.com', version: 'v1', kind: 'Widget', resource: 'widgets', namespaced: false, statusSubresource: false },
      { group: 'example.com', version: 'v2', kind: 'Widget', resource: 'widgets', namespaced: false, statusSubresource: true },
    ]);
    expect(crdToServedResources({ kind: 'ConfigMap' })).toEqual([]);
  });
});

describe('lint --description', () => {
  const RBAC = `apiVersion: policy.jspolicy.com/v1beta1
kind: JsPolicy
metadata:
  name: no-wildcard-roles.policies.example.com
spec:
  type: Validating
  operations: ["CREATE"]
  resources: ["clusterroles"]
  apiGroups: ["rbac.authorization.k8s.io"]
  javascript: |
    if ((request.object.rules ?? []).some((r) => (r.verbs ?? []).includes('*'))) deny('no wildcard verbs');
`;

  it('judges reach against the intent it is given, and says what the option needs', async () => {
    const file = write('rbac.yaml', RBAC);
    const named = await run([file, '--json', '--description', 'Deny ClusterRoles that grant every verb']);
    expect(JSON.parse(named.out).results[0].findings.map((f: { rule: string }) => f.rule)).not.toContain('kind-not-in-intent');
    const other = await run([file, '--json', '--description', 'Deny pods labelled env=prod in namespace test']);
    expect(JSON.parse(other.out).results[0].findings.map((f: { rule: string }) => f.rule)).toContain('kind-not-in-intent');
    expect(other.code).toBe(1);
    const missing = await run([file, '--description']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--description needs the intent');
  });
});
