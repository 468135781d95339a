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

const NGP_YAML = `apiVersion: gptpolicy.dev/v1alpha1
kind: NamespacedGPTPolicy
metadata: {name: deny-prod, namespace: team-a}
spec: {description: "Deny pods labelled env=prod"}
status:
  policyName: deny-prod.team-a.ns-gptpolicy.dev
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
    // A NamespacedGPTPolicy deny-prod in team-a, which is also the context's namespace.
    if (line === 'get namespacedgptpolicies.gptpolicy.dev deny-prod -n team-a -o jsonpath={.metadata.namespace}/{.status.rollout.specHash}') return `team-a/${HASH}`;
    if (line === 'get namespacedgptpolicies.gptpolicy.dev deny-prod -o jsonpath={.metadata.namespace}/{.status.rollout.specHash}') return `team-a/${HASH}`;
    if (line === 'get namespacedgptpolicies.gptpolicy.dev deny-prod -n team-a -o jsonpath={.status.policyName}') return 'deny-prod.team-a.ns-gptpolicy.dev';
    if (line === 'get namespacedgptpolicies.gptpolicy.dev deny-prod -n team-a -o yaml') return NGP_YAML;
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

  it('-n NAMESPACE, or ngptp/NAME in the context’s namespace, approves the NamespacedGPTPolicy with a NamespacedPolicyApproval there', async () => {
    const approval = { apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'NamespacedPolicyApproval', metadata: { name: 'deny-prod.warn', namespace: 'team-a' }, spec: { gptPolicy: 'deny-prod', stage: 'Warn', specHash: HASH } };
    for (const argv of [['approve', 'deny-prod', '-n', 'team-a', '--stage', 'Warn'], ['approve', '--namespace=team-a', 'deny-prod', '--stage', 'Warn'], ['approve', 'ngptp/deny-prod', '--stage', 'Warn'], ['approve', 'NamespacedGPTPolicy/deny-prod', '-n', 'team-a', '--stage', 'Warn']]) {
      const { kubectl, calls } = fakeKubectl();
      const r = await run(argv, kubectl);
      expect(r, argv.join(' ')).toMatchObject({ code: 0, out: expect.stringContaining(`approved hash ${HASH} of NamespacedGPTPolicy team-a/deny-prod for Warn`) });
      expect(parse(calls.find((c) => c.args.join(' ') === 'create -f -')?.input ?? '')).toEqual(approval);
    }
    const stale = await run(['approve', 'deny-prod', '-n', 'team-a', '--hash', 'b'.repeat(64)], fakeKubectl().kubectl);
    expect(stale).toMatchObject({ code: 1, err: expect.stringContaining('review it again: kubectl gptpolicy review -n team-a deny-prod') });
  });

  it('review -n reads the NamespacedGPTPolicy, and prints approve commands for its namespace', async () => {
    const r = await run(['review', 'deny-prod', '-n', 'team-a'], fakeKubectl().kubectl);
    expect(r.code).toBe(0);
    expect(r.out).toContain('# NamespacedGPTPolicy team-a/deny-prod');
    expect(r.out).toContain(`  kubectl gptpolicy approve deny-prod -n team-a --hash ${HASH} --stage Deny\n`);
  });

  it.each([
    [['review', 'gptp/deny-prod', '-n', 'team-a'], 'a GPTPolicy is cluster-scoped: drop -n'],
    [['review', 'pods/deny-prod'], '"pods" is neither gptp'],
    [['approve', 'ngptp/'], 'is not NAME or TYPE/NAME'],
    [['approve', 'deny-prod', '-n', 'Team A'], '-n/--namespace must be a namespace name'],
  ])('refuses %j', async (argv, message) => {
    const r = await run(argv, fakeKubectl().kubectl);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it("says kubectl's error, and refuses what it cannot do", async () => {
    const missing = await run(['approve', 'nope'], fakeKubectl().kubectl);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('NotFound');
    // Not found as a GPTPolicy: perhaps it is a team's.
    expect(missing.err).toContain('(a NamespacedGPTPolicy? kubectl gptpolicy approve -n NAMESPACE nope, or ngptp/nope');
    expect((await run(['promote', 'x'], fakeKubectl().kubectl)).code).toBe(2);
    expect((await run(['approve', 'x', '--stage', 'Dry'], fakeKubectl().kubectl)).err).toContain('--stage must be Warn or Deny');
  });

  it('the real kubectl finds the built CLI as its plugin when it is on PATH as kubectl-gptpolicy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubectl-plugin-'));
    try {
      symlinkSync(repoFile('dist/cli.mjs'), join(dir, 'kubectl-gptpolicy'));
      // The plugin calls $KUBECTL: a script that answers the hash and records the approval.
      const fake = join(dir, 'fake-kubectl');
      writeFileSync(fake, `#!/bin/sh\ncase "$*" in\n  *"-n team-a"*metadata.namespace*) printf 'team-a/${HASH}' ;;\n  *specHash*) printf '${HASH}' ;;\n  "create -f -") cat > "${dir}/created.yaml"; echo created ;;\n  *) exit 1 ;;\nesac\n`, { mode: 0o755 });
      const out = execFileSync('kubectl', ['gptpolicy', 'approve', 'deny-prod', '--hash', HASH, '--stage', 'Warn'], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, KUBECTL: fake } });
      expect(out).toContain(`approved hash ${HASH}`);
      expect(parse(readFileSync(join(dir, 'created.yaml'), 'utf8'))).toMatchObject({ kind: 'PolicyApproval', spec: { stage: 'Warn', specHash: HASH } });
      // kubectl hands the plugin its -n as it is: the NamespacedGPTPolicy's approval, in its namespace.
      const namespaced = execFileSync('kubectl', ['gptpolicy', 'approve', 'deny-prod', '-n', 'team-a', '--hash', HASH], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, KUBECTL: fake } });
      expect(namespaced).toContain(`approved hash ${HASH} of NamespacedGPTPolicy team-a/deny-prod for Deny`);
      expect(parse(readFileSync(join(dir, 'created.yaml'), 'utf8'))).toEqual({ apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'NamespacedPolicyApproval', metadata: { name: 'deny-prod.deny', namespace: 'team-a' }, spec: { gptPolicy: 'deny-prod', stage: 'Deny', specHash: HASH } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
