// The candidate meets the same language in the cluster as in the controller's sandbox: each case that
// describes the candidate's observable environment (`this`, strictness, frozen built-ins,
// Error.prepareStackTrace, RegExp's legacy statics, the globals that are absent, the override of
// frozen prototype properties) runs in the sandbox (lib/sandbox, ses, as the controller tests a
// candidate) and as an emitted policy — wrapped by the guard, compiled by jsPolicy's webpack step and
// admitted on V8 9.6 — and gets the same verdict in both. A code error is the sandbox's `error` and
// the guard's PolicyError report (reportErrors), or a script jsPolicy could not compile or run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionRequest, JsPolicy } from '../../lib/k8s/types.ts';
import { POLICY_ERROR_REASON, wrapWithGuard } from '../../lib/policy/guard.ts';
import { admit } from '../../tools/runtime/webhook/admit.ts';
import { JSPOLICY_V8 } from '../fixtures/engine.ts';
import { OPEN_SCOPE } from '../fixtures/guard.ts';
import { admission, pod, SandboxHost } from '../sandbox/harness.ts';

const TIMEOUT = { timeout: 60_000 };

interface Verdict {
  verdict: 'allow' | 'deny' | 'mutate' | 'error';
  message?: string;
}

let host: SandboxHost;

beforeAll(() => {
  host = new SandboxHost();
});

afterAll(() => host.close());

const request = (): AdmissionRequest => admission(pod('web', { app: 'web' }));

function inSandbox(javascript: string, policyType: 'Validating' | 'Mutating'): Verdict {
  const r = host.run({ javascript, request: request(), policyType });
  return r.verdict === 'deny' ? { verdict: 'deny', message: r.message ?? '' } : { verdict: r.verdict };
}

function emitted(javascript: string, policyType: 'Validating' | 'Mutating'): Verdict {
  const policy: JsPolicy = {
    apiVersion: 'policy.jspolicy.com/v1beta1',
    kind: 'JsPolicy',
    metadata: { name: 'conformance.gptpolicy.dev' },
    spec: {
      type: policyType,
      operations: ['CREATE'],
      resources: ['pods'],
      javascript: wrapWithGuard(javascript, { reportErrors: true, scope: OPEN_SCOPE, ...(policyType === 'Mutating' ? { mutable: ['metadata.labels'] } : {}) }),
    },
  };
  const outcome = admit(policy, request());
  if (outcome.error !== undefined || outcome.violation?.kind === 'error' || outcome.reason === POLICY_ERROR_REASON) return { verdict: 'error' };
  if (!outcome.allowed) return { verdict: 'deny', message: outcome.message ?? '' };
  return { verdict: outcome.patch ? 'mutate' : 'allow' };
}

const VALIDATING: Array<[string, string]> = [
  ['top-level this', `deny(String(this))`],
  ['this in a plain function call', `deny(String(function () { return this }()))`],
  ['assignment to an undeclared name', `undeclared = 1`],
  ['an octal literal', `var a = 010`],
  ['arguments.callee at the top level', `const c = arguments.callee.caller; if (c) deny('reached')`],
  ['arguments.callee in a function', `function f() { return arguments.callee.caller } f()`],
  ['delete of a non-configurable property', `deny(String(delete Array.prototype.push))`],
  ['a leading "use strict" changes nothing', `'use strict'; deny(String(this))`],
  ['Object.prototype polluted', `Object.prototype.x = 1`],
  ['a toJSON getter on Object.prototype', `Object.defineProperty(Object.prototype, 'toJSON', { get() { return () => 'pwned' } })`],
  ['Array.prototype.push replaced', `Array.prototype.push = function () { return 0 }`],
  ['JSON.stringify replaced', `JSON.stringify = () => 'pwned'`],
  ['JSON.stringify redefined', `Object.defineProperty(JSON, 'stringify', { value: () => 'pwned' })`],
  ["request's prototype polluted", `Object.getPrototypeOf(request).polluted = 1`],
  ['Date.now replaced', `Date.now = () => 0`],
  ['Math.random replaced', `Math.random = () => 0`],
  ['a typed array prototype extended', `Float64Array.prototype.x = 1`],
  ['Symbol.prototype extended', `Symbol.prototype.x = 1`],
  ['Reflect extended', `Reflect.x = 1`],
  ['the array iterator replaced', `Object.getPrototypeOf([][Symbol.iterator]()).next = null`],
  ['String.prototype method replaced', `String.prototype.includes = function () { return true }`],
  ['Function.prototype.call replaced', `Object.getPrototypeOf(function () {}).call = null`],
  ['the built-ins a policy reaches are frozen', `deny(String([Object, Object.prototype, Array.prototype, String.prototype, Object.getPrototypeOf(function () {}), JSON, Math, Date.prototype, RegExp.prototype, Map.prototype, Set.prototype, Error.prototype, TypeError.prototype].every(Object.isFrozen)))`],
  ['Error.prepareStackTrace written', `Error.prepareStackTrace = (e, frames) => frames; const s = new Error('x').stack; deny(typeof s)`],
  ['Error.stackTraceLimit and captureStackTrace', `Error.stackTraceLimit = 0; try { Error.captureStackTrace({}) } catch (e) {} allow()`],
  ['a stack is a string', `try { null.x } catch (e) { deny(typeof e.stack + ' ' + e.stack.split('\\n')[0]) }`],
  ['RegExp legacy statics', `/(s)ecret/.exec('secret'); deny(typeof RegExp.$1 + ' ' + typeof RegExp.lastMatch + ' ' + typeof RegExp.input)`],
  ['absent globals', `deny([typeof WeakRef, typeof FinalizationRegistry, typeof SharedArrayBuffer, typeof Atomics, typeof WebAssembly, typeof Intl].join())`],
  ['present globals', `deny([typeof Map, typeof Set, typeof WeakMap, typeof Symbol, typeof BigInt, typeof Proxy, typeof Reflect, typeof JSON, typeof globalThis, typeof console, typeof print].join())`],
  ["an error's name set on the instance", `const e = new TypeError('x'); e.name = 'Y'; deny(String(e))`],
  ['toString set on a plain object', `const o = {}; o.toString = function () { return 't' }; deny(String(o))`],
  ['constructor and valueOf set on a plain object', `const o = {}; o.constructor = 'c'; o.valueOf = () => 7; deny(o.constructor + (o + 1))`],
  ['an Error subclass naming itself', `class AppError extends Error { constructor(m) { super(m); this.name = 'AppError' } } deny(String(new AppError('bad')))`],
  ['a global the candidate adds', `globalThis.mark = 1; deny(String(globalThis.mark))`],
  ["request is the candidate's to freeze or change", `request.object.metadata.labels.x = 'y'; Object.freeze(request.object); deny(String(Object.isFrozen(request.object)) + request.object.metadata.labels.x)`],
  ['a caught halt still halts', `try { deny('x') } catch (e) { allow() } finally { allow() }`],
  ['warnings, then a verdict', `warn('w'); deny('d')`],
  ['a top-level return', `if (request.operation === 'CREATE') return; deny('no')`],
  ['a thrown error', `request.object.nope.x`],
  ['a Map and a Set', `const m = new Map([[1, 'a']]); const s = new Set([1, 1]); deny(m.get(1) + s.size)`],
];

const MUTATING: Array<[string, string]> = [
  ['a label added', `const o = request.object; o.metadata.labels.team = 'a'; mutate(o)`],
  ['the object unchanged', `mutate(request.object)`],
];

describe('the sandbox and the emitted policy agree on the environment', () => {
  it('both run on V8 9.6', () => {
    expect(host.v8).toEqual(JSPOLICY_V8);
  });

  it.each(VALIDATING)('%s', TIMEOUT, (_name, javascript) => {
    expect(emitted(javascript, 'Validating')).toEqual(inSandbox(javascript, 'Validating'));
  });

  it.each(MUTATING)('Mutating: %s', TIMEOUT, (_name, javascript) => {
    expect(emitted(javascript, 'Mutating')).toEqual(inSandbox(javascript, 'Mutating'));
  });

  it('the one difference: the sandbox keeps Promise (its jobs stop at their first tick), the guard removes it', TIMEOUT, () => {
    const javascript = `deny(typeof Promise)`;
    expect([inSandbox(javascript, 'Validating'), emitted(javascript, 'Validating')]).toEqual([
      { verdict: 'deny', message: 'function' },
      { verdict: 'deny', message: 'undefined' },
    ]);
  });
});
