// The escape corpus: every attempt tries to reach a host power of the controller's jsPolicy run (its
// natives are spies, see harness.ts), or to change the realm for the controller's later code. Each one
// calls deny('ESCAPED …') if it gets anywhere. None may call a native or deny with ESCAPED, and the
// controller's side of the realm must be intact afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admission, pod, SandboxHost } from './harness.ts';
import { JSPOLICY_V8 } from '../fixtures/engine.ts';

let host: SandboxHost;

const objects = [
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gptpolicy-openai', namespace: 'jspolicy' }, data: { apiKey: 'c2stc2VjcmV0' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { team: 'a' } } },
];

beforeAll(() => {
  host = new SandboxHost();
  // The controller's own regex work before the sandbox runs: a candidate must not read it back.
  host.evaluate(`/sk-(\\w+)/.exec('token sk-hostsecret')`);
  host.prepare();
  // ses installs its own Error.prepareStackTrace on the start compartment's Error: remember it.
  host.evaluate(`globalThis.hostPrepareStackTrace = Error.prepareStackTrace`);
});

// Calls every host power it finds on a would-be global object. Names are computed so that the static
// check (no identifiers starting with "__") does not stop the attempt before it runs.
const PROBE = `const probe = (g) => {
  if (g === null || g === undefined) return;
  for (const n of ['__cre' + 'ate', '__fetch' + 'Sync', '__ex' + 'it', '__g' + 'et', 'readFile' + 'Sync', 'cre' + 'ate', 'fetch' + 'Sync', 'env']) {
    let f; try { f = g[n] } catch (e) { continue }
    if (typeof f === 'function') { try { f('{}') } catch (e) {} }
  }
  if (g['__res' + 'ponse'] !== undefined || g['__pol' + 'icy'] !== undefined) deny('ESCAPED host global object');
};\n`;

const ATTEMPTS: Array<[string, string]> = [
  ['free name create', `create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } }); deny('ESCAPED create')`],
  ['free name fetchSync', `fetchSync('http://attacker.example/'); deny('ESCAPED fetchSync')`],
  ['free name env', `const k = env('OPENAI_API_KEY'); deny('ESCAPED env ' + k)`],
  ['free name readFileSync', `deny('ESCAPED ' + readFileSync('/var/run/secrets/kubernetes.io/serviceaccount/token'))`],
  ['free name update/remove', `update({}); remove({}); deny('ESCAPED update')`],
  ['free name __create (refused)', `__create('{}'); deny('ESCAPED')`],
  ['free name __fetchSync (refused)', `__fetchSync('http://x'); deny('ESCAPED')`],
  ['free name __exit / __response (refused)', `__response.deny = false; __exit()`],
  ['globalThis.create', `globalThis.create({}); deny('ESCAPED')`],
  ['globalThis computed name', `const g = globalThis; const n = ['__cre', 'ate'].join(''); if (typeof g[n] === 'function') { g[n]('{}'); deny('ESCAPED') } g['cre' + 'ate']({})`],
  ['globalThis["__fetchSync"] via computed name', PROBE + `probe(globalThis); const f = globalThis['__fetch' + 'Sync']; if (f) { f('http://x'); deny('ESCAPED') }`],
  ['top-level this', `this.create({}); deny('ESCAPED')`],
  ['this in a sloppy-looking function', PROBE + `probe((function () { return this })()); probe(this)`],
  ['[].constructor.constructor', PROBE + `probe([].constructor.constructor('return this')())`],
  ['function constructor via prototype', `const c = (function () {}).constructor('return create')(); c({}); deny('ESCAPED')`],
  ['arrow constructor', PROBE + `probe((() => 1).constructor('return this')())`],
  ['Function (refused)', `Function('return this')().create('{}'); deny('ESCAPED')`],
  ['Function by computed global name', PROBE + `const F = globalThis['Func' + 'tion']; probe(F('return this')())`],
  ['eval (refused)', `eval('create')({}); deny('ESCAPED')`],
  ['indirect eval (refused)', `(0, eval)('this').create('{}'); deny('ESCAPED')`],
  ['eval by computed global name', PROBE + `const e = globalThis['ev' + 'al']; probe(e('this'))`],
  ['Reflect.get on the global', PROBE + `const f = Reflect.get(globalThis, '__cre' + 'ate'); if (f) f('{}'); probe(Reflect.get(globalThis, 'globalThis')); Reflect.get(globalThis, 'fetchSync')('http://x')`],
  ['global property names', PROBE + `const names = Reflect.ownKeys(globalThis).map(String); if (names.some((n) => n.startsWith('_'))) deny('ESCAPED ' + names.join()); for (const k of Reflect.ownKeys(globalThis)) { const d = Object.getOwnPropertyDescriptor(globalThis, k); if (d && d.value && typeof d.value === 'object') probe(d.value) } print(names.join())`],
  ['async function constructor (refused)', `const AF = Object.getPrototypeOf(async function () {}).constructor; AF('return this')().then((g) => g.create('{}'))`],
  ['generator function constructor (refused)', `const GF = Object.getPrototypeOf(function* () {}).constructor; GF('yield this')().next().value.create('{}')`],
  ['function constructors reached through frozen intrinsics', PROBE + `for (const f of [Object, Array, Math.max, JSON.parse, Promise, Reflect.apply, Symbol, RegExp, Date, deny, print]) { try { probe(f.constructor('return this')()) } catch (e) {} try { probe(Object.getPrototypeOf(f).constructor('return this')()) } catch (e) {} }`],
  ['Compartment by computed name', `const C = globalThis['Compart' + 'ment']; const c = new C(); c.evaluate('while (true) {}'); deny('ESCAPED')`],
  ['harden / lockdown / assert', `if (typeof globalThis['har' + 'den'] === 'function' || typeof globalThis['lock' + 'down'] === 'function') deny('ESCAPED')`],
  ['Error.prepareStackTrace', `Error.prepareStackTrace = (e, frames) => frames.map((f) => f.getThis && f.getThis()); const s = new Error('x').stack; if (Array.isArray(s)) deny('ESCAPED frames')`],
  ['Error.captureStackTrace / stackTraceLimit', `Error.stackTraceLimit = 0; try { Error.captureStackTrace({}) } catch (e) {} allow()`],
  ['JSON.stringify replaced', `JSON.stringify = () => 'pwned'`],
  ['JSON.stringify redefined', `Object.defineProperty(JSON, 'stringify', { value: () => 'pwned' })`],
  ['Object.prototype polluted', `Object.prototype.x = 1`],
  ['Object.prototype getter', `Object.defineProperty(Object.prototype, 'toJSON', { get() { return () => 'pwned' } })`],
  ['Array.prototype replaced', `Array.prototype.push = function () { return 0 }`],
  ['prototype of request polluted', `Object.getPrototypeOf(request).polluted = 1`],
  ['Secret by get', `const s = get('Secret', 'v1', 'jspolicy/gptpolicy-openai'); deny('ESCAPED ' + JSON.stringify(s))`],
  ['Secret by list', `const s = list('Secret', 'v1'); deny('ESCAPED ' + JSON.stringify(s))`],
  ['Secret by list with List suffix and namespace', `const s = list('SecretList', 'v1', { namespace: 'jspolicy' }); deny('ESCAPED ' + JSON.stringify(s))`],
  ['Secret by lower-case kind', `const s = get('secret', 'v1', 'jspolicy/gptpolicy-openai'); deny('ESCAPED ' + JSON.stringify(s))`],
  ['request.constructor.constructor', PROBE + `probe(request.constructor.constructor('return this')())`],
  ['thrown host object constructor', PROBE + `try { get(1, 2, 3) } catch (e) { probe(e.toString.constructor('return this')()) }`],
  ['V8 error constructor', PROBE + `try { null.x } catch (e) { probe(e.constructor.constructor('return this')()) }`],
  ['endowment constructor', PROBE + `probe(deny.constructor('return this')())`],
  ['getter on a passed object', `const r = list('Namespace', 'v1', { get namespace() { return globalThis['__fetch' + 'Sync'] } }); if (JSON.stringify(r).includes('c2st')) deny('ESCAPED ' + JSON.stringify(r))`],
  ['stack frames of a host function', PROBE + `try { get({ toJSON() { throw new Error('x') } }, 'v1', 'n') } catch (e) { deny(String(e.stack).includes('__get') ? 'ESCAPED stack' : 'ok') }`],
  ['getter tricks on Object.prototype via __defineGetter__ (refused)', `({}).__defineGetter__('x', () => 1)`],
  ['arguments.callee.caller at top level', `const c = arguments.callee.caller; if (c) deny('ESCAPED')`],
  ['arguments.callee.caller in a function', `function f() { return arguments.callee.caller } const c = f(); if (c) deny('ESCAPED')`],
  ['caller/arguments of endowments', `const probe = (fn) => { try { return fn.caller || fn.arguments } catch (e) { return null } }; JSON.stringify({ toJSON() { const c = probe(warn); if (c) deny('ESCAPED caller'); return 'x' } }); warn({ toJSON() { const c = probe(warn); if (c) deny('ESCAPED caller'); return 'x' } })`],
  ['legacy RegExp statics', `if (typeof RegExp.$1 === 'string' && RegExp.$1.includes('hostsecret')) deny('ESCAPED ' + RegExp.$1)`],
  ['Date and Math are frozen host objects', `Date.now = () => 0; Math.random = () => 0`],
  ['import() (refused)', `import('data:text/javascript,export default globalThis')`],
  ['promise job after the run', `Promise.resolve().then(() => { globalThis.create({}); for (;;) {} })`],
  ['thenable resolved later', `Promise.resolve({ then(r) { r(1); print('late'); globalThis['cre' + 'ate']({}) } })`],
  ['halt sentinel fished out of a promise', `let h; new Promise(() => deny('first')).catch((e) => { h = e }); allow()`],
  ['Symbol.for harden on Object', `const hd = Object[Symbol.for('harden')]; if (typeof hd === 'function') hd(request); allow()`],
];

describe('escape corpus', () => {
  it('runs in a context of V8 9.6, jsPolicy\'s engine', () => {
    expect(host.v8).toEqual(JSPOLICY_V8);
  });

  it.each(ATTEMPTS)('%s', (_name, javascript) => {
    const before = host.calls.length;
    const r = host.run({ javascript, request: admission(pod()), policyType: 'Mutating', objects: objects as never });
    if (process.env.SANDBOX_DEBUG) console.log(JSON.stringify([_name, r.verdict, r.message, r.logs]));
    expect(host.calls.slice(before)).toEqual([]);
    expect(`${r.verdict} ${r.message ?? ''} ${r.logs.join(' ')}`).not.toMatch(/ESCAPED|pwned|hostsecret|c2stc2VjcmV0|late/);
  });
});

describe('the corpus is not vacuous', () => {
  it('the probe finds and calls a host-like function when there is one', () => {
    const r = host.run({ javascript: PROBE + `probe({ ['__cre' + 'ate']: () => deny('probe works') })`, request: admission(pod()), policyType: 'Validating' });
    expect(r).toMatchObject({ verdict: 'deny', message: 'probe works' });
  });

  it('the attempts that are not refused run (they reach the sandbox at run time)', () => {
    const ran = ATTEMPTS.filter(([, javascript]) => !host.run({ javascript, request: admission(pod()), policyType: 'Validating' }).refused);
    expect(ran.length).toBeGreaterThanOrEqual(40);
  });
});

describe('the controller side after the corpus', () => {
  afterAll(() => {
    expect(host.calls).toEqual([]);
  });

  it('built-ins are intact', () => {
    expect(host.evaluate(`JSON.stringify({ a: [1, 'b'] })`)).toBe('{"a":[1,"b"]}');
    expect(host.evaluate(`({}).x === undefined && ({}).toJSON === undefined && [].push(1) === 1 && Object.getPrototypeOf({}).polluted === undefined`)).toBe(true);
    expect(host.evaluate(`Error.prepareStackTrace === hostPrepareStackTrace`)).toBe(true);
    expect(host.evaluate(`typeof new Error('x').stack`)).toBe('string');
    expect(host.evaluate(`Date.now() > 0 && Math.random() < 1`)).toBe(true);
  });

  it("jsPolicy's globals are still there and still the host's", () => {
    expect(host.evaluate(`[typeof create, typeof fetchSync, typeof __create, typeof env, typeof deny, typeof request].join()`)).toBe(
      'function,function,function,function,function,object',
    );
    expect(host.evaluate(`(() => { try { return create.toString().includes('__create') } catch (e) { return String(e) } })()`)).toBe(true);
  });

  it('Secrets are refused with a jsPolicy-like thrown object', () => {
    const r = host.run({ javascript: `get('Secret', 'v1', 'jspolicy/gptpolicy-openai')`, request: admission(pod()), policyType: 'Validating', objects: objects as never });
    expect(r).toMatchObject({ verdict: 'error', message: expect.stringMatching(/^Forbidden: Secrets are not readable/) });
    const caught = host.run({ javascript: `try { list('Secret', 'v1') } catch (e) { deny(e.reason) }`, request: admission(pod()), policyType: 'Validating', objects: objects as never });
    expect(caught).toMatchObject({ verdict: 'deny', message: 'Forbidden' });
  });

  it('ordinary controller-style code still works after lockdown', () => {
    const out = host.evaluate(`(() => {
      'use strict';
      class AppError extends Error { constructor(m) { super(m); this.name = 'AppError'; this.code = 7 } }
      const e = new AppError('bad');
      const o = { a: 1 }; o.toString = () => 'custom'; o.constructor = 'c'; o.hasOwnProperty = 1;
      const assigned = Object.assign({}, { constructor: 1, toLocaleString: 2, isPrototypeOf: 3 });
      const m = new Map([[1, 2]]); const s = new Set([1]);
      const sorted = ['b', 'a', 'C'].sort((x, y) => x.localeCompare(y));
      const copy = { ...JSON.parse('{"x":{"y":[1,2]}}'), z: 1 };
      const re = /^(\\w+)-(\\d+)$/.exec('abc-12');
      const date = new Date(0).toISOString();
      return [String(e), e.code, String(o), o.constructor, m.get(1), s.has(1), sorted.join(''), JSON.stringify(copy), re[2], date, (0, eval)('1 + 1'), new Function('return 3')(), JSON.stringify(assigned)].join('|');
    })()`);
    expect(out).toBe('AppError: bad|7|custom|c|2|true|abC|{"x":{"y":[1,2]},"z":1}|12|1970-01-01T00:00:00.000Z|2|3|{"constructor":1,"toLocaleString":2,"isPrototypeOf":3}');
  });
});
