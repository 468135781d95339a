import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubectlPluginCommand, type Kubectl } from '../../tools/cli/kubectl-plugin.ts';
import { repoFile } from '../../tools/local/paths.ts';

const HASH = 'a'.repeat(64);
const GP_YAML = `apiVersion: gptpolicy.dev/v1alpha1
kind: GPTPolicy
metadata: {name: deny-prod}
spec: {description: "Deny pods labelled env=prod in namespace test"}
status:
  policyName: deny-prod.gptpolicy.dev
  rollout: {stage: Dry, specHash: ${HASH}}
`;

/** A kubectl that answers from the GPTPolicy above and records what it was asked. */
function fakeKubectl(): { kubectl: Kubectl; calls: Array<{ args: string[]; input?: string }> } {
  const calls: Array<{ args: string[]; input?: string }> = [];
  const kubectl: Kubectl = (args, input) => {
    calls.push({ args, ...(input !== undefined ? { input } : {}) });
    const line = args.join(' ');
    if (line === 'get gptpolicies.gptpolicy.dev deny-prod -o jsonpath={.status.rollout.specHash}') return HASH;
    if (line === 'get gptpolicies.gptpolicy.dev deny-prod -o jsonpath={.status.policyName}') return 'deny-prod.gptpolicy.dev';
    if (line.startsWith('get gptpolicies.gptpolicy.dev deny-prod -o yaml')) return GP_YAML;
    if (line.startsWith('get jspolicies')) return '';
    if (line === 'create -f -') return 'policyapproval.gptpolicy.dev/deny-prod.warn created\n';
    throw new Error(`Error from server (NotFound): ${line}`);
  };
  return { kubectl, calls };
}

async function run(argv: string[], kubectl: Kubectl): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await kubectlPluginCommand(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) }, kubectl);
  return { code, out, err };
}

describe('kubectl gptpolicy', () => {
  it('approve creates the PolicyApproval for the hash the GPTPolicy shows now', async () => {
    const { kubectl, calls } = fakeKubectl();
    const r = await run(['approve', 'deny-prod', '--stage', 'Warn'], kubectl);
    expect(r.code).toBe(0);
    const created = calls.find((c) => c.args.join(' ') === 'create -f -');
    expect(parse(created?.input ?? '')).toEqual({ apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'PolicyApproval', metadata: { name: 'deny-prod.warn' }, spec: { gptPolicy: 'deny-prod', stage: 'Warn', specHash: HASH } });
    expect(r.out).toContain(`approved hash ${HASH}`);
  });

  it('review reads the GPTPolicy and its policy through kubectl', async () => {
    const r = await run(['review', 'deny-prod'], fakeKubectl().kubectl);
    expect(r.code).toBe(0);
    expect(r.out).toContain('## Intent\nDeny pods labelled env=prod in namespace test');
    expect(r.out).toContain(`  kubectl gptpolicy approve deny-prod --hash ${HASH} --stage Deny\n`);
  });

  it('approve --hash approves the hash reviewed, and refuses once the policy shows another', async () => {
    const { kubectl, calls } = fakeKubectl();
    expect((await run(['approve', 'deny-prod', '--hash', HASH, '--stage', 'Warn'], kubectl)).code).toBe(0);
    expect(parse(calls.find((c) => c.args.join(' ') === 'create -f -')?.input ?? '')).toMatchObject({ spec: { specHash: HASH } });
    const changed = fakeKubectl();
    const stale = await run(['approve', 'deny-prod', '--hash', 'b'.repeat(64)], changed.kubectl);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain(`changed since that review: it is now hash ${HASH}`);
    expect(changed.calls.some((c) => c.args[0] === 'create')).toBe(false);
    expect((await run(['approve', 'deny-prod', '--hash', 'abc'], kubectl)).err).toContain('--hash must be the 64 hex digits');
    expect((await run(['review', 'deny-prod', '--hash', HASH], kubectl)).err).toContain('--hash is for approve only');
  });

  it("says kubectl's error, and refuses what it cannot do", async () => {
    const missing = await run(['approve', 'nope'], fakeKubectl().kubectl);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('NotFound');
    expect((await run(['promote', 'x'], fakeKubectl().kubectl)).code).toBe(2);
    expect((await run(['approve', 'x', '--stage', 'Dry'], fakeKubectl().kubectl)).err).toContain('--stage must be Warn or Deny');
  });

  it('the real kubectl finds the built CLI as its plugin when it is on PATH as kubectl-gptpolicy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubectl-plugin-'));
    try {
      symlinkSync(repoFile('dist/cli.mjs'), join(dir, 'kubectl-gptpolicy'));
      // The plugin calls $KUBECTL: a script that answers the hash and records the approval.
      const fake = join(dir, 'fake-kubectl');
      writeFileSync(fake, `#!/bin/sh\ncase "$*" in\n  *specHash*) printf '${HASH}' ;;\n  "create -f -") cat > "${dir}/created.yaml"; echo created ;;\n  *) exit 1 ;;\nesac\n`, { mode: 0o755 });
      const out = execFileSync('kubectl', ['gptpolicy', 'approve', 'deny-prod', '--hash', HASH, '--stage', 'Warn'], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, KUBECTL: fake } });
      expect(out).toContain(`approved hash ${HASH}`);
      expect(parse(readFileSync(join(dir, 'created.yaml'), 'utf8'))).toMatchObject({ kind: 'PolicyApproval', spec: { stage: 'Warn', specHash: HASH } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
