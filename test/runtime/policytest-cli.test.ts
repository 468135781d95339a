import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testCommand } from '../../tools/cli/test.ts';

const POLICY = `apiVersion: policy.jspolicy.com/v1beta1
kind: JsPolicy
metadata:
  name: no-latest.example.com
spec:
  operations: ["CREATE"]
  resources: ["pods"]
  javascript: |
    for (const c of request.object.spec.containers) {
      if (c.image.endsWith(":latest")) deny("image " + c.image + " uses :latest");
    }
`;

const pod = (image: string) => `{operation: CREATE, namespace: apps, object: {apiVersion: v1, kind: Pod, metadata: {name: web, namespace: apps}, spec: {containers: [{name: app, image: "${image}"}]}}}`;

const TEST = `kind: PolicyTest
policy: ../policies/no-latest.yaml
cases:
  - name: latest is denied
    request: ${pod('nginx:latest')}
    expect: {result: deny, message: ":latest"}
  - name: pinned is allowed
    request: ${pod('nginx:1.27')}
    expect: {result: allow}
`;

const FAILING = `kind: PolicyTest
policy: ../../policies/no-latest.yaml
cases:
  - name: wrong expectation
    request: ${pod('nginx:1.27')}
    expect: {result: deny}
`;

function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'gptpolicy-test-cli-'));
  mkdirSync(path.join(root, 'policies'));
  mkdirSync(path.join(root, 'tests', 'nested'), { recursive: true });
  writeFileSync(path.join(root, 'policies', 'no-latest.yaml'), POLICY);
  return root;
}

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await testCommand(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('gptpolicy test', () => {
  it('prints one line per case and the closing count; exit 0 when all pass', async () => {
    const root = project();
    const file = path.join(root, 'tests', 'no-latest.policytest.yaml');
    writeFileSync(file, TEST);
    const result = await run([file]);
    expect(result.stdout).toBe(`PASS ${file} › latest is denied\nPASS ${file} › pinned is allowed\n2 passed, 0 failed\n`);
    expect(result.code).toBe(0);
  });

  it('searches directories for *.policytest.yaml; FAIL lines say why; exit 1', async () => {
    const root = project();
    writeFileSync(path.join(root, 'tests', 'a.policytest.yaml'), TEST);
    writeFileSync(path.join(root, 'tests', 'nested', 'b.policytest.yaml'), FAILING);
    writeFileSync(path.join(root, 'tests', 'ignored.yaml'), 'not: a test');
    const result = await run([path.join(root, 'tests')]);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(`FAIL ${path.join(root, 'tests', 'nested', 'b.policytest.yaml')} › wrong expectation — expected deny, got allow`);
    expect(lines[3]).toBe('2 passed, 1 failed');
    expect(result.code).toBe(1);
  });

  it('a broken file is one failure with the reason', async () => {
    const root = project();
    const file = path.join(root, 'tests', 'broken.policytest.yaml');
    writeFileSync(file, 'kind: PolicyTest\npolicy: ../policies/missing.yaml\ncases: []\n');
    const result = await run([file, path.join(root, 'nope.policytest.yaml')]);
    expect(result.stdout).toMatch(/^FAIL .*nope\.policytest\.yaml — no such file or directory$/m);
    expect(result.stdout).toMatch(/^FAIL .*broken\.policytest\.yaml — cases: must be a non-empty list/m);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 2 failed');
    expect(result.code).toBe(1);
  });

  it('usage errors exit 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--nope'])).code).toBe(2);
  });
});
