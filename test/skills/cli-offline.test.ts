// The CLI uses a library from files the way the controller uses the one in the cluster.
import { describe, expect, it } from 'vitest';
import { lintCommand } from '../../tools/cli/lint.ts';
import { testCommand } from '../../tools/cli/test.ts';
import { repoFile } from '../../tools/local/paths.ts';

function io() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) } };
}

const POLICY = repoFile('examples/hand-written-with-helpers/policy.yaml');

describe('--skills', () => {
  it('lint: the library helpers a policy calls count as declared', { timeout: 60_000 }, async () => {
    const without = io();
    expect(await lintCommand(['--profile', 'jspolicy', POLICY], without.io)).toBe(1);
    expect(without.out.stdout).toContain('undeclared-name');
    const withSkills = io();
    expect(await lintCommand(['--profile', 'jspolicy', '--skills', repoFile('skills'), POLICY], withSkills.io)).toBe(0);
  });

  it('test: a policy runs with the helpers it calls inlined', { timeout: 60_000 }, async () => {
    const without = io();
    expect(await testCommand([repoFile('examples/hand-written-with-helpers')], without.io)).toBe(1);
    const withSkills = io();
    expect(await testCommand(['--skills', repoFile('skills'), repoFile('examples/hand-written-with-helpers')], withSkills.io)).toBe(0);
    expect(withSkills.out.stdout).toContain('2 passed, 0 failed');
  });
});
