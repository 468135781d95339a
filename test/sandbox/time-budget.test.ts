// The wall-clock budget of one sandboxed run: read from the caller's clock at every tick, so a
// candidate whose steps are slow one by one ends as an error well before jsPolicy's timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateResult } from '../../lib/sandbox/index.ts';
import { admission, pod, SandboxHost } from './harness.ts';

let host: SandboxHost;
beforeAll(() => {
  host = new SandboxHost();
});
afterAll(() => host.close());

const request = admission(pod('web', { app: 'web' }));

// The clock is a function, so the call is written in the context (the controller's side) itself.
function runTimed(javascript: string, timeBudgetMs: number): { result: CandidateResult; ms: number } {
  const input = JSON.stringify({ javascript, request, policyType: 'Validating', timeBudgetMs });
  const code = `(() => { const t = Date.now(); const result = gptSandbox.runCandidate({ ...JSON.parse(${JSON.stringify(input)}), clock: () => Date.now() }); return { result, ms: Date.now() - t }; })()`;
  return host.evaluate(code) as { result: CandidateResult; ms: number };
}

describe('time budget', () => {
  it('steps that are slow one by one (a backtracking regex per iteration) end at the budget, far below the step budget', { timeout: 30_000 }, () => {
    // /(a+)+$/ on 18 a's and a '!' takes milliseconds per test: 1,000 iterations would take seconds.
    const { result, ms } = runTimed(`var s = 'a'.repeat(18) + '!'; for (var i = 0; i < 1000; i++) { /(a+)+$/.test(s); } allow();`, 50);
    expect(result).toMatchObject({ verdict: 'error', budgetExceeded: true, timeExceeded: true });
    expect(result.message).toMatch(/^time budget exceeded: the policy ran longer than 50 ms/);
    expect(ms).toBeLessThan(2_000);
  });

  it('a quick policy is unaffected, and without a clock only the steps bound a run', { timeout: 30_000 }, () => {
    expect(runTimed(`for (var i = 0; i < 1000; i++); deny('x')`, 250).result).toMatchObject({ verdict: 'deny', message: 'x' });
    expect(host.run({ javascript: 'while (true) {}', request, policyType: 'Validating' })).toMatchObject({ verdict: 'error', budgetExceeded: true });
    expect(host.run({ javascript: 'while (true) {}', request, policyType: 'Validating' }).timeExceeded).toBeUndefined();
  });

  it('a candidate that catches the halt cannot go on', { timeout: 30_000 }, () => {
    const { result } = runTimed(`var s = 'a'.repeat(18) + '!'; for (;;) { try { /(a+)+$/.test(s); } catch (e) {} } `, 30);
    expect(result).toMatchObject({ verdict: 'error', timeExceeded: true });
  });
});
