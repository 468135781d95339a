// Halts, the step budget and jsPolicy's verdict rules, run in a jsPolicy-like vm context (harness.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { admission, pod, SandboxHost, type RunInput } from './harness.ts';
import { JSPOLICY_V8 } from '../fixtures/engine.ts';

let host: SandboxHost;

beforeAll(() => {
  host = new SandboxHost();
});

const request = admission(pod('web', { app: 'web' }));

function run(javascript: string, extra: Partial<RunInput> = {}) {
  return host.run({ javascript, request, policyType: 'Validating', ...extra });
}

describe('halts cannot be caught', () => {
  it('runs in a context of V8 9.6, jsPolicy\'s engine', () => {
    expect(host.v8).toEqual(JSPOLICY_V8);
  });

  it('a deny caught by the candidate still denies', () => {
    const r = run(`try { deny('x') } catch (e) { allow() }`);
    expect(r).toMatchObject({ verdict: 'deny', message: 'x', reason: 'Forbidden', code: 403 });
  });

  it('a deny inside a binding-less catch and a destructuring catch', () => {
    expect(run(`try { deny('a') } catch { allow() }`).verdict).toBe('deny');
    expect(run(`try { deny('b') } catch ({ message }) { print(message); allow() }`)).toMatchObject({ verdict: 'deny', message: 'b', logs: [] });
    expect(run(`try { deny('c') } catch ({ message = allow() }) { allow() }`)).toMatchObject({ verdict: 'deny', message: 'c' });
  });

  it('finally does not run after a halt, but does otherwise', () => {
    expect(run(`try { deny('x') } finally { allow() }`)).toMatchObject({ verdict: 'deny', message: 'x' });
    expect(run(`try { print('t') } finally { deny('f') }`)).toMatchObject({ verdict: 'deny', message: 'f', logs: ['t'] });
    expect(run(`function f() { try { return 1 } finally { print('fin') } } f(); deny(String(f()))`)).toMatchObject({ verdict: 'deny', message: '1', logs: ['fin', 'fin'] });
  });

  it('nested catch/finally in functions and callbacks', () => {
    const r = run(`
      const tryIt = (fn) => { try { return fn() } catch (e) { return 'caught ' + e } finally { print('finally') } };
      [1, 2, 3].forEach((i) => { tryIt(() => { if (i === 2) deny('at ' + i) }) });
      allow();
    `);
    expect(r).toMatchObject({ verdict: 'deny', message: 'at 2', logs: ['finally'] });
  });

  it('the first halting call wins; warnings before it are kept', () => {
    expect(run(`warn('w1'); warn('w2'); deny('d'); warn('after')`)).toMatchObject({ verdict: 'deny', warnings: ['w1', 'w2'] });
    expect(run(`allow(); deny('no')`)).toMatchObject({ verdict: 'allow' });
    expect(run(`exit(); deny('no')`)).toMatchObject({ verdict: 'allow' });
  });

  it('a halt swallowed by a Promise executor still stands, and nothing runs after it', () => {
    const r = run(`new Promise(() => deny('in promise')); print('straight line'); for (;;) {}`);
    expect(r).toMatchObject({ verdict: 'deny', message: 'in promise', logs: [] });
    expect(r.budgetExceeded).toBeUndefined();
  });

  it('promise callbacks that run after the run do nothing', () => {
    const r = run(`Promise.resolve().then(() => { for (;;) {} }); warn('sync')`);
    expect(r).toMatchObject({ verdict: 'allow', warnings: ['sync'] });
    // The job runs when the host script returns (as in jsPolicy): it must stop at its first tick.
    expect(host.evaluate('1')).toBe(1);
  });

  it('a halt inside a getter, toJSON and toString stays a halt', () => {
    expect(run(`const o = { get x() { deny('getter') } }; try { o.x } catch (e) { allow() }`)).toMatchObject({ verdict: 'deny', message: 'getter' });
    expect(run(`try { JSON.stringify({ toJSON() { deny('json') } }) } catch (e) {} allow()`)).toMatchObject({ verdict: 'deny', message: 'json' });
    expect(run(`try { String({ toString() { deny('str') } }) } catch (e) {} allow()`)).toMatchObject({ verdict: 'deny', message: 'str' });
    expect(run(`try { [3, 1, 2].sort(() => deny('sort')) } catch (e) {} allow()`)).toMatchObject({ verdict: 'deny', message: 'sort' });
  });

  it('for..of iterator return() cannot resurrect the run', () => {
    const r = run(`
      const it = { [Symbol.iterator]() { return { next: () => ({ done: false, value: 1 }), return() { allow(); return {} } } } };
      for (const x of it) { deny('loop') }
    `);
    expect(r).toMatchObject({ verdict: 'deny', message: 'loop' });
  });
});

describe('step budget', () => {
  it.each([
    ['while (true) {}'],
    ['for (;;) {}'],
    ['for (;;);'],
    ['do {} while (true)'],
    ['while (true) try { for(;;) {} } catch (e) {} finally { continue }'],
    ['function f() { f() } f()'],
    ['function f() { try { f() } catch (e) {} f() } f()'],
    ['const f = () => f(); f()'],
    ['const f = () => { try { f() } catch { f() } }; f()'],
    ['const o = { get x() { return this.x } }; o.x'],
    ['Array.from({ length: 1e9 }, (_, i) => i)'],
    ['[1].forEach(function g() { [1].forEach(g) ; [1].forEach(g) })'],
    ['class A { constructor() { new A() } } new A()'],
    ['outer: for (;;) { for (;;) { continue outer } }'],
    ['while (true) { try { throw 1 } catch (e) { continue } }'],
  ])('%s ends as an error (budget exceeded, or V8 stack overflow as in jsPolicy)', (javascript) => {
    const r = run(javascript, { stepBudget: 10_000 });
    expect(r.verdict).toBe('error');
    if (r.budgetExceeded) expect(r.message).toMatch(/step budget exceeded/);
    else expect(r.message).toBe('Uncaught RangeError: Maximum call stack size exceeded');
  });

  it('plain recursion: budgetExceeded under a small budget, V8 RangeError under the default one', () => {
    expect(run('function f() { f() } f()', { stepBudget: 1000 })).toMatchObject({ verdict: 'error', budgetExceeded: true });
    expect(run('function f() { f() } f()')).toMatchObject({ verdict: 'error', message: 'Uncaught RangeError: Maximum call stack size exceeded' });
  });

  it('the budget is per run and counts steps', () => {
    const r = run(`let n = 0; for (let i = 0; i < 100; i++) n++; function f() {} f(); f();`);
    expect(r).toMatchObject({ verdict: 'allow', steps: 102 });
    expect(run(`for (let i = 0; i < 50; i++);`, { stepBudget: 49 }).budgetExceeded).toBe(true);
    expect(run(`for (let i = 0; i < 50; i++);`, { stepBudget: 50 }).verdict).toBe('allow');
  });

  it('a budget exhausted inside a catch-all try still stops the candidate', () => {
    const r = run(`for (;;) { try { while (true) {} } catch (e) { warn('caught') } finally { warn('finally') } }`, { stepBudget: 1000 });
    expect(r).toMatchObject({ verdict: 'error', budgetExceeded: true, warnings: [] });
  });
});

describe('verdicts as jsPolicy gives them', () => {
  it('falls through to allow', () => {
    expect(run(`const x = 1`)).toMatchObject({ verdict: 'allow', warnings: [], logs: [] });
  });

  it('deny with reason and code', () => {
    expect(run(`deny('nope', 'Policy', 422)`)).toMatchObject({ verdict: 'deny', message: 'nope', reason: 'Policy', code: 422 });
    expect(run(`deny()`)).toMatchObject({ verdict: 'deny', message: '', reason: 'Forbidden', code: 403 });
  });

  it('wrongly typed deny/warn/mutate arguments fail like Go decoding does', () => {
    expect(run(`deny(42)`).message).toBe('json: cannot unmarshal number into Go struct field Response.message of type string');
    expect(run(`deny('x', 'r', '400')`).message).toBe('json: cannot unmarshal string into Go struct field Response.code of type int');
    expect(run(`deny('x', 'r', 400.5)`).message).toBe('json: cannot unmarshal number 400.5 into Go struct field Response.code of type int');
    expect(run(`deny('x', {})`).message).toBe('json: cannot unmarshal object into Go struct field Response.reason of type string');
    expect(run(`warn(1); allow()`).message).toBe('json: cannot unmarshal number into Go struct field Response.warnings of type string');
    expect(run(`mutate('x')`).message).toBe('json: cannot unmarshal string into Go struct field Response.patched of type map[string]interface {}');
    expect(run(`mutate([1])`, { policyType: 'Mutating' }).message).toBe('json: cannot unmarshal array into Go struct field Response.patched of type map[string]interface {}');
    expect(run(`warn(1n)`).message).toMatch(/^Uncaught TypeError: .*BigInt/);
    expect(run(`deny('x', undefined, null)`)).toMatchObject({ verdict: 'deny', code: 403 });
    expect(run(`warn(undefined)`)).toMatchObject({ verdict: 'allow', warnings: [''] });
    for (const r of [run(`deny(42)`), run(`warn(1)`)]) expect(r).toMatchObject({ verdict: 'error', code: 500, warnings: [] });
  });

  it('mutate returns the patched object in a Mutating policy', () => {
    const r = run(`const o = request.object; o.metadata.labels.team = 'a'; mutate(o)`, { policyType: 'Mutating' });
    expect(r.verdict).toBe('mutate');
    expect((r.patched as { metadata: { labels: Record<string, string> } }).metadata.labels).toEqual({ app: 'web', team: 'a' });
  });

  it('mutate is ignored in a Validating policy and an unchanged object is no patch', () => {
    expect(run(`request.object.metadata.labels.team = 'a'; mutate(request.object)`)).toMatchObject({ verdict: 'allow' });
    expect(run(`mutate(request.object)`, { policyType: 'Mutating' })).toMatchObject({ verdict: 'allow' });
    expect(run(`mutate(null)`, { policyType: 'Mutating' })).toMatchObject({ verdict: 'allow' });
  });

  it('each run gets its own request copy', () => {
    const js = `if (request.object.metadata.labels.seen) deny('leaked'); request.object.metadata.labels.seen = 'yes'; globalThis.mark = 1`;
    expect(run(js).verdict).toBe('allow');
    expect(run(js).verdict).toBe('allow');
    expect(run(`if (typeof mark !== 'undefined') deny('global leaked')`).verdict).toBe('allow');
  });

  it('warnings and print logs', () => {
    const r = run(`warn('first'); print('a', 1, { b: 2 }); console.log('c'); warn('second')`);
    expect(r).toMatchObject({ verdict: 'allow', warnings: ['first', 'second'], logs: ['a 1 {"b":2}', '[console] c'] });
  });

  it('a thrown error is an error verdict with jsPolicy-like text', () => {
    expect(run(`request.object.nope.x`).message).toBe(`Uncaught TypeError: Cannot read properties of undefined (reading 'x')`);
    expect(run(`throw new Error('boom')`)).toMatchObject({ verdict: 'error', message: 'Uncaught Error: boom', code: 500 });
    expect(run(`throw 'plain'`).message).toBe('plain');
    expect(run(`throw { toString() { return 'custom' } }`).message).toBe('custom');
    expect(run(`null.x`).message).toMatch(/^Uncaught TypeError: Cannot read properties of null/);
    expect(run(`warn('w'); throw new RangeError('r')`)).toMatchObject({ verdict: 'error', warnings: [] });
  });

  it('syntax errors and refused constructs never run', () => {
    expect(run(`if (`)).toMatchObject({ verdict: 'error' });
    expect(run(`if (`).message).toMatch(/^Uncaught SyntaxError: /);
    for (const js of [
      `async function f() {}`,
      `const f = async () => 1`,
      `function* g() {}`,
      `import('x')`,
      `with (request) {}`,
      `debugger`,
      `eval('1')`,
      `new Function('return 1')`,
      `const __x = 1`,
      `request.__proto__`,
      `import x from 'y'`,
    ]) {
      const r = run(js);
      expect(r, js).toMatchObject({ verdict: 'error', refused: true });
    }
  });

  it('strings that ses would refuse as source text keep working', () => {
    expect(run('deny("<!-- a --> import(b) eval(c)")').message).toBe('<!-- a --> import(b) eval(c)');
    expect(run('const x = 1; deny(`import(${x}) -->`)').message).toBe('import(1) -->');
  });

  it('strict-mode differences from jsPolicy are reported as errors', () => {
    expect(run('undeclared = 1').message).toBe('Uncaught ReferenceError: undeclared is not defined');
    expect(run('const a = 010').message).toBe('Uncaught SyntaxError: Octal literals are not allowed in strict mode.');
  });

  it('top-level return ends the script (webpack wraps spec.javascript in a function)', () => {
    expect(run(`if (request.operation === 'CREATE') return; deny('no')`).verdict).toBe('allow');
  });

  it('top-level this is undefined, not the global object', () => {
    expect(run(`deny(String(this))`).message).toBe('undefined');
  });

  it('helpers are visible to the candidate and rewritten too', () => {
    const helpers = `function hasLabel(o, k) { return !!(o.metadata.labels || {})[k] }\nfunction spin() { for (;;) {} }\nfunction guard(fn) { try { return fn() } catch (e) { return 'caught' } }`;
    expect(run(`if (!hasLabel(request.object, 'team')) deny('needs team')`, { helpers })).toMatchObject({ verdict: 'deny', message: 'needs team' });
    expect(run(`spin()`, { helpers, stepBudget: 500 })).toMatchObject({ verdict: 'error', budgetExceeded: true });
    expect(run(`guard(() => deny('through helper')); allow()`, { helpers })).toMatchObject({ verdict: 'deny', message: 'through helper' });
  });

  it('Date, Math and the float arrays work as in jsPolicy', () => {
    expect(run(`if (!(Date.now() > 0 && new Date().getTime() > 0 && Math.random() < 1 && new Float64Array([1.5])[0] === 1.5)) deny('x')`).verdict).toBe('allow');
    expect(run(`Float64Array.prototype.x = 1`).message).toMatch(/^Uncaught TypeError: Cannot add property x/);
  });

  it('atob/btoa follow Go (UTF-8)', () => {
    expect(run(`deny(btoa('é') + ' ' + atob('w6k=') + ' ' + atob('!!'))`).message).toBe('w6k= é undefined');
  });
});
