import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { approveCommand } from '../../tools/cli/approve.ts';

function run(args: string[]) {
  const out = { stdout: '', stderr: '' };
  return approveCommand(args, { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) }).then((code) => ({ code, ...out }));
}

describe('gptpolicy approve', () => {
  it('prints the approval named as the CRD requires', async () => {
    const { code, stdout } = await run(['deny-prod', '--hash', 'a'.repeat(64), '--stage', 'Warn']);
    expect(code).toBe(0);
    expect(parse(stdout)).toEqual({ apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'PolicyApproval', metadata: { name: 'deny-prod.warn' }, spec: { gptPolicy: 'deny-prod', stage: 'Warn', specHash: 'a'.repeat(64) } });
  });

  it('with -n, prints the NamespacedPolicyApproval in that namespace', async () => {
    const { code, stdout } = await run(['deny-prod', '-n', 'team-a', '--hash', 'a'.repeat(64)]);
    expect(code).toBe(0);
    expect(parse(stdout)).toEqual({
      apiVersion: 'gptpolicy.dev/v1alpha1',
      kind: 'NamespacedPolicyApproval',
      metadata: { name: 'deny-prod.deny', namespace: 'team-a' },
      spec: { gptPolicy: 'deny-prod', stage: 'Deny', specHash: 'a'.repeat(64) },
    });
    expect(parse((await run(['deny-prod', '--namespace=team-b', '--hash', 'a'.repeat(64), '--stage', 'Warn'])).stdout)).toMatchObject({ metadata: { name: 'deny-prod.warn', namespace: 'team-b' } });
  });

  it.each([
    [['deny-prod', '-n', 'Team_A', '--hash', 'a'.repeat(64)], '-n/--namespace must be a namespace name'],
    [['deny-prod', 'other', '--hash', 'a'.repeat(64)], 'NAME'],
    [['deny-prod'], '--hash must be'],
    [['--hash', 'a'.repeat(64)], 'NAME'],
    [['deny-prod', '--hash', 'a'.repeat(64), '--stage', 'deny'], '--stage must be Warn or Deny'],
  ])('refuses %j naming the problem', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
