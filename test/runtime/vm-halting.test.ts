import { describe, expect, it } from 'vitest';
import type { Cluster, RunOptions } from '../../tools/runtime/contracts.ts';
import { runPolicyScript } from '../../tools/runtime/vm/index.ts';
import { JSPOLICY_V8 } from '../fixtures/engine.ts';

function run(javascript: string, extra: Partial<RunOptions> = {}) {
  const lines: string[] = [];
  const outcome = runPolicyScript({ policyName: 'halt.test.com', javascript, request: { operation: 'CREATE' }, log: (l) => lines.push(l), ...extra });
  return { outcome, lines };
}

describe('halting (exit/allow/deny/mutate/requeue are uncatchable)', () => {
  it('deny() inside try/catch/finally runs neither catch nor finally', () => {
    const { outcome, lines } = run(`
      try { deny('no', 'Nope', 418); print('after deny'); }
      catch (e) { print('caught'); __response.deny = false; }
      finally { print('finally'); __response.message = 'changed'; }
      print('end');`);
    expect(outcome).toMatchObject({ kind: 'completed', response: { deny: true, message: 'no', reason: 'Nope', code: 418 } });
    expect(lines).toEqual([]);
  });

  it('code after allow() never runs, the run completes', () => {
    const { outcome, lines } = run(`print('before'); allow(); print('after'); deny('late');`);
    expect(outcome).toMatchObject({ kind: 'completed', response: {} });
    expect(lines).toEqual(['[halt.test.com] before']);
  });

  it('the first halting call wins and warnings before it are kept', () => {
    const { outcome } = run(`warn('w1'); warn('w2'); requeue('again'); deny('never');`);
    expect(outcome).toMatchObject({ kind: 'completed', response: { reschedule: true, message: 'again', warnings: ['w1', 'w2'] } });
    expect((outcome as { response: object }).response).not.toHaveProperty('deny');
  });

  it('mutate() halts with the patched object; exit() halts with nothing', () => {
    expect(run(`mutate({b: 1, a: {c: 2}}); deny('x')`).outcome).toMatchObject({ kind: 'completed', response: { patched: { b: 1, a: { c: 2 } } } });
    expect(run(`exit(); deny('x')`).outcome).toMatchObject({ kind: 'completed', response: {} });
  });

  it('halting inside nested functions and loops still stops everything', () => {
    const { outcome, lines } = run(`
      function inner() { for (let i = 0; i < 10; i++) { if (i === 3) deny('at ' + i); } }
      [1, 2].forEach(() => { try { inner(); } finally { print('finally'); } });`);
    expect(outcome).toMatchObject({ kind: 'completed', response: { deny: true, message: 'at 3' } });
    expect(lines).toEqual([]);
  });

  it('a Promise job runs before the run ends and may halt it', () => {
    const { outcome } = run(`Promise.resolve().then(() => deny('from a job')); warn('sync');`);
    expect(outcome).toMatchObject({ kind: 'completed', response: { deny: true, message: 'from a job', warnings: ['sync'] } });
  });

  it('an unhandled rejection is dropped silently (no crash)', () => {
    const { outcome } = run(`Promise.reject(new Error('boom')); (async () => { throw 1; })(); warn('ok');`);
    expect(outcome).toMatchObject({ kind: 'completed', response: { warnings: ['ok'] } });
  });

  it('times out with "script <name> timed out"', () => {
    const { outcome } = run(`while (true) {}`, { timeoutSeconds: 0.2 });
    expect(outcome).toMatchObject({ kind: 'error', message: 'script halt.test.com timed out' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(150);
  });

  it('a halt after a timeout-free run leaves the process usable for the next runs', () => {
    for (let i = 0; i < 20; i++) expect(run(`deny('n' + ${i})`).outcome).toMatchObject({ response: { message: `n${i}` } });
  });

  it('runs nest (a write runs admission policies): the inner halt ends only the inner run', () => {
    const cluster = {
      create: () => {
        const inner = runPolicyScript({ policyName: 'inner.test.com', javascript: `try { deny('inner says no') } finally { warn('x') }`, request: {} });
        return { ok: false, code: 400, reason: 'Forbidden', message: inner.kind === 'completed' ? inner.response.message : inner.message };
      },
    } as unknown as Cluster;
    const { outcome, lines } = run(`
      try { warn(create({kind: 'X'}).message); } finally { print('outer finally runs'); }
      deny('outer');
      print('never');`, { cluster });
    expect(outcome).toMatchObject({ kind: 'completed', response: { deny: true, message: 'outer', warnings: ['inner says no'] } });
    expect(lines).toEqual(['[halt.test.com] outer finally runs']);
  });

  it('a caught error is just an error; the script continues', () => {
    const { outcome } = run(`try { null.x } catch (e) { warn(e.message) } allow();`);
    expect(outcome).toMatchObject({ kind: 'completed', response: { warnings: ["Cannot read properties of null (reading 'x')"] } });
  });

  it('exit() while __response is serialised (toJSON) fails the run instead of killing the process', () => {
    const { outcome } = run(`__response.toJSON = () => exit();`);
    expect(outcome).toEqual({ kind: 'error', message: 'ExecutionTerminated: script execution has been terminated', durationMs: expect.any(Number), v8: JSPOLICY_V8, engineMs: expect.any(Object) });
  });
});
