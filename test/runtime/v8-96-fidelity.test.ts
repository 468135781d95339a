// What jsPolicy's V8 (9.6.180) does and Node 20's V8 would not, and what jsPolicy does after a run
// (pkg/webhook/handler.go): Promise jobs run after the verdict, __response is serialized outside the
// timeout, and some built-ins never reach a point where termination can stop them. These tests assert
// jsPolicy's behaviour, so the fixes of the safety issue can be proven against them.
import { describe, expect, it } from 'vitest';
import type { JsPolicy } from '../../lib/k8s/types.ts';
import { wrapWithGuard } from '../../lib/policy/guard.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import { checkPolicyJavascript } from '../../tools/runtime/jspolicy/compile-check.ts';
import { ControllerLoop, formatKey } from '../../tools/runtime/controller/index.ts';
import { runPolicyTestCases } from '../../tools/runtime/policytest/index.ts';
import { runPolicyScript } from '../../tools/runtime/vm/index.ts';
import { admit } from '../../tools/runtime/webhook/admit.ts';
import { JSPOLICY_V8 } from '../fixtures/engine.ts';
import { OPEN_SCOPE } from '../fixtures/guard.ts';

const run = (javascript: string, timeoutSeconds = 5) => runPolicyScript({ policyName: 'fidelity.test.com', javascript, request: { operation: 'CREATE' }, timeoutSeconds });

function validating(javascript: string, extra: Partial<NonNullable<JsPolicy['spec']>> = {}): JsPolicy {
  return {
    apiVersion: 'policy.jspolicy.com/v1beta1',
    kind: 'JsPolicy',
    metadata: { name: 'fidelity.test.com' },
    spec: { type: 'Validating', operations: ['CREATE'], resources: ['configmaps'], javascript, ...extra },
  };
}

const configMapRequest = {
  uid: '1',
  kind: { group: '', version: 'v1', kind: 'ConfigMap' },
  resource: { group: '', version: 'v1', resource: 'configmaps' },
  name: 'c',
  namespace: 'default',
  operation: 'CREATE' as const,
  userInfo: { username: 'alice' },
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { config: '{"a":}' } },
  oldObject: null,
  options: null,
};

describe('the engine is V8 9.6', () => {
  it('every run reports the V8 that ran it', () => {
    expect(run('allow()')).toMatchObject({ kind: 'completed', v8: JSPOLICY_V8 });
  });

  it('a RegExp v flag does not compile: every run of the policy errors', () => {
    expect(run(`deny(String(/[\\p{L}--[a-z]]/v.test('A')))`)).toMatchObject({ kind: 'error', message: 'Uncaught SyntaxError: Invalid regular expression flags' });
    expect(run(`new RegExp('[a]', 'v')`)).toMatchObject({ kind: 'error', message: expect.stringContaining("Invalid flags supplied to RegExp constructor 'v'") });
  });

  it('JSON.parse errors are worded as V8 9.6 words them', () => {
    expect(run(`try { JSON.parse('{"a":}') } catch (e) { deny(e.message) }`)).toMatchObject({ response: { deny: true, message: 'Unexpected token } in JSON at position 5' } });
    expect(run(`try { JSON.parse('{"a":1') } catch (e) { deny(e.message) }`)).toMatchObject({ response: { message: 'Unexpected end of JSON input' } });
  });

  it('a symbol is no WeakMap key', () => {
    expect(run(`try { new WeakMap().set(Symbol('s'), 1); allow() } catch (e) { deny(String(e)) }`)).toMatchObject({
      response: { deny: true, message: 'TypeError: Invalid value used as weak map key' },
    });
  });

  it("a PolicyTest expecting Node 20's JSON.parse wording fails, as it would in the cluster", () => {
    const policy = validating(`try { JSON.parse(request.object.data.config) } catch (e) { deny('bad config: ' + e.message) }`);
    const [node20, v896] = runPolicyTestCases(policy, [
      { name: 'node 20 wording', request: configMapRequest, expect: { result: 'deny', message: 'is not valid JSON' } },
      { name: 'v8 9.6 wording', request: configMapRequest, expect: { result: 'deny', message: 'in JSON at position 5' } },
    ]);
    expect(node20).toMatchObject({ passed: false });
    expect(v896).toMatchObject({ passed: true });
  });
});

describe('Promise jobs outlive the verdict', () => {
  it('a job queued before deny() rewrites __response before jsPolicy reads it', () => {
    expect(run(`Promise.resolve().then(() => { __response.deny = false; __response.message = 'rewritten' }); deny('no')`)).toMatchObject({
      kind: 'completed',
      response: { message: 'rewritten' },
    });
  });

  it('so an admission the policy denied is allowed', () => {
    const policy = validating(`Promise.resolve().then(() => { __response.deny = false }); deny('no configmaps')`);
    expect(admit(policy, configMapRequest)).toMatchObject({ matched: true, allowed: true });
    expect(admit(policy, configMapRequest).violation).toBeUndefined();
  });

  it('a job can break the decoding of the verdict into an error (HTTP 500)', () => {
    expect(run(`Promise.resolve().then(() => { __response.code = 'x' }); deny('no')`)).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('cannot unmarshal string into Go struct field Response.code of type int'),
    });
  });

  it('a job still runs after the timeout fired, and one that loops is cut', () => {
    const lines: string[] = [];
    const timedOut = runPolicyScript({ policyName: 'fidelity.test.com', javascript: `Promise.resolve().then(() => print('job ran')); while (true) {}`, request: {}, timeoutSeconds: 1, log: (l) => lines.push(l) });
    expect(timedOut).toMatchObject({ kind: 'error', message: 'script fidelity.test.com timed out' });
    expect(lines).toEqual(['[fidelity.test.com] job ran']);
    expect(run(`Promise.resolve().then(() => { while (true) {} }); allow()`, 1)).toMatchObject({ kind: 'error', message: 'script fidelity.test.com timed out' });
  });
});

describe('in the guard of a generated policy, nothing rewrites the verdict after it', () => {
  const guarded = (javascript: string) => wrapWithGuard(javascript, { reportErrors: false, scope: OPEN_SCOPE });

  it('Promise is gone; a job from an async function or the promise it returns cannot rewrite __response after deny', () => {
    expect(run(guarded(`deny(typeof Promise)`))).toMatchObject({ response: { message: 'undefined' } });
    for (const job of [
      `(async function () { await 0; globalThis.__response.deny = false; globalThis.__response.message = 'rewritten' })()`,
      `(async function () {})().constructor.resolve().then(function () { deny('rewritten') })`,
      `(async function () { await 0; globalThis.allow(); })()`,
    ]) {
      expect(run(guarded(`${job}; deny('no')`))).toMatchObject({ kind: 'completed', response: { deny: true, message: 'no' } });
    }
    const policy = validating(guarded(`(async function () { await 0; globalThis.__response.deny = false })(); deny('no configmaps')`));
    expect(admit(policy, configMapRequest)).toMatchObject({ matched: true, allowed: false, message: 'no configmaps' });
  });

  it('a job cannot break the decoding of the verdict', () => {
    expect(run(guarded(`(async function () { await 0; globalThis.__response.code = 'x'; deny('late', 'r', 'x') })(); deny('no')`))).toMatchObject({
      kind: 'completed',
      response: { deny: true, message: 'no' },
    });
  });

  it('no toJSON can be hung on __response, its prototype or Object.prototype, so serialization runs none', () => {
    for (const hang of [
      `__response.toJSON = function () { for (;;) {} }`,
      `globalThis.__response.toJSON = function () { for (;;) {} }`,
      `Object.prototype.toJSON = function () { for (;;) {} }`,
      `Object.defineProperty(Object.prototype, 'toJSON', { get: function () { for (;;) {} } })`,
      `Array.prototype.toJSON = function () { for (;;) {} }`,
    ]) {
      const outcome = run(guarded(`try { ${hang} } catch (e) {} warn('w'); allow()`), 1);
      expect(outcome, hang).toMatchObject({ kind: 'completed', response: { warnings: ['w'] } });
    }
  });
});

describe('runs the timeout cannot stop', () => {
  it('a toJSON on __response runs after the run, outside the timeout: the run never returns', () => {
    const outcome = run(`__response.toJSON = () => { while (true) {} }; allow()`, 1);
    expect(outcome).toMatchObject({ kind: 'hang', message: expect.stringContaining('never returned') });
  });

  it('includes() over a huge array-like never reaches a termination check', () => {
    expect(run(`Array.prototype.includes.call({ length: 2 ** 40 }, 1)`, 1)).toMatchObject({ kind: 'hang' });
  });

  it('an admission whose run never returns is decided by failurePolicy, and jsPolicy records no violation', () => {
    const hangs = `Array.prototype.includes.call({ length: 2 ** 40 }, 1)`;
    expect(admit(validating(hangs, { timeoutSeconds: 1 }), configMapRequest)).toMatchObject({
      allowed: false,
      code: 500,
      message: expect.stringContaining('context deadline exceeded'),
      unanswered: { kind: 'hang' },
    });
    const ignored = admit(validating(hangs, { timeoutSeconds: 1, failurePolicy: 'Ignore' }), configMapRequest);
    expect(ignored).toMatchObject({ allowed: true, unanswered: { kind: 'hang' } });
    expect(ignored.violation).toBeUndefined();
  });

  it('a PolicyTest can expect a hang', () => {
    const [result] = runPolicyTestCases(validating(`Array.prototype.includes.call({ length: 2 ** 40 }, 1)`, { timeoutSeconds: 1 }), [
      { name: 'hangs', request: configMapRequest, expect: { result: 'hang' } },
    ]);
    expect(result).toMatchObject({ passed: true, actual: { result: 'hang' } });
  });

  it('a size error aborts the whole process: a crash, and the next run gets a new VM', () => {
    expect(run(`'ab'.repeat(2 ** 27).split('')`)).toMatchObject({ kind: 'crash', message: expect.stringContaining("jsPolicy's process died") });
    expect(run(`deny('still here')`)).toMatchObject({ kind: 'completed', response: { message: 'still here' }, v8: JSPOLICY_V8 });
  });

  it("a controller whose run never returns stops, as jsPolicy's one worker per controller policy would", () => {
    const cluster = new InMemoryCluster({});
    cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' } });
    cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'default' } });
    const policy: JsPolicy = {
      apiVersion: 'policy.jspolicy.com/v1beta1',
      kind: 'JsPolicy',
      metadata: { name: 'stuck.test.com' },
      spec: { type: 'Controller', operations: ['CREATE'], resources: ['configmaps'], timeoutSeconds: 1, javascript: `Array.prototype.includes.call({ length: 2 ** 40 }, 1)` },
    };
    cluster.create(policy);
    const loop = new ControllerLoop({ cluster, policy });
    const stats = loop.runUntilSettled();
    expect(stats.runs).toBe(1);
    expect(stats.errors).toEqual([expect.stringContaining('never returned')]);
    expect(loop.process(formatKey({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'b' }))).toMatchObject({ result: 'hang' });
  });
});

describe("jsPolicy's compile step, then V8 9.6", () => {
  it('a RegExp v flag in a policy never reaches V8: webpack refuses it, CompileFailed', () => {
    const outcome = admit(validating(`if (/[\\p{L}--[a-z]]/v.test(request.object.metadata.name)) deny('upper')`), configMapRequest);
    expect(outcome.violation).toMatchObject({ kind: 'error' });
    expect(outcome.violation?.message).toMatch(/CompileFailed\): error bundling javascript: [\s\S]*Module parse failed: Invalid regular expression flag/);
  }, 120_000);

  it('without webpack (a policy with dependencies), the syntax check parses with the V8 that will run it', () => {
    const policy = validating(`deny(String(/[a]/v.test('a')))`, { dependencies: { lodash: '4.17.21' } });
    expect(checkPolicyJavascript(policy)).toMatchObject({ ok: false, message: expect.stringContaining('Invalid regular expression flags') });
  });
});
