// The policy language (lib/lint/subset.ts): every name V8 9.6 offers that is not allow-listed is
// refused, enumerated on the real engine; each class of refusal; and ordinary policies pass.
import { beforeAll, describe, expect, it } from 'vitest';
import { lintPolicy, type Finding, type LintOptions } from '../../lib/lint/index.ts';
import { BUILTIN_MEMBER_NAMES, SUBSET_GLOBALS, SUBSET_METHODS, SUBSET_STATICS, subsetProblems } from '../../lib/lint/subset.ts';
import { BUILTIN_RESOURCES } from '../../lib/k8s/builtin-resources.ts';
import { UNBOUNDED_BUILTINS } from '../../lib/lint/unbounded-builtins.ts';
import { runPolicyScript } from '../../tools/runtime/vm/index.ts';
import { JSPOLICY_V8 } from '../fixtures/engine.ts';

const gen: LintOptions = { profile: 'generated', resources: BUILTIN_RESOURCES };
const policy = (javascript: string): unknown => ({
  apiVersion: 'policy.jspolicy.com/v1beta1',
  kind: 'JsPolicy',
  metadata: { name: 'subset.policies.example.com' },
  spec: { type: 'Validating', operations: ['CREATE'], resources: ['pods'], apiGroups: [''], javascript },
});
const subset = (js: string, o: LintOptions = gen): Finding[] => lintPolicy(policy(js), o).filter((f) => f.rule.startsWith('subset-'));
const refused = (js: string): boolean => subsetProblems(js, []).length > 0;

interface Enumerated {
  globals: string[];
  /** receiver → own property names (constructors: statics; `X.prototype`: instance members). */
  members: Record<string, string[]>;
}

// What jsPolicy's V8 has: the global object of a fresh jsPolicy-like run, and the own names of every
// built-in constructor, namespace and prototype on it (plus %TypedArray% and the iterator prototypes).
function enumerate(): Enumerated {
  const out = runPolicyScript({
    policyName: 'subset.test.com',
    timeoutSeconds: 10,
    request: { operation: 'CREATE' },
    javascript: `
      const g = globalThis, members = {};
      const add = (name, o) => { if (o && (typeof o === 'object' || typeof o === 'function')) members[name] = Object.getOwnPropertyNames(o); };
      const globals = Object.getOwnPropertyNames(g);
      for (const n of globals) {
        const v = g[n];
        if (n === 'request' || n === 'exports' || n === '__response' || n === 'globalThis') continue;
        if (!/^[A-Z]/.test(n) && typeof v !== 'object') continue;
        add(n, v);
        if (typeof v === 'function') add(n + '.prototype', v.prototype);
      }
      const TA = Object.getPrototypeOf(Int8Array);
      add('%TypedArray%', TA); add('%TypedArray%.prototype', TA.prototype);
      add('%ArrayIteratorPrototype%', Object.getPrototypeOf([][Symbol.iterator]()));
      add('%IteratorPrototype%', Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
      add('%GeneratorFunction.prototype%', Object.getPrototypeOf(function* () {}));
      add('%AsyncFunction.prototype%', Object.getPrototypeOf(async function () {}));
      deny(JSON.stringify({ globals, members, v8: 1 }));`,
  });
  expect(out).toMatchObject({ kind: 'completed', v8: JSPOLICY_V8 });
  return JSON.parse((out as { response: { message: string } }).response.message) as Enumerated;
}

describe('against V8 9.6 itself', () => {
  let engine: Enumerated = { globals: [], members: {} };
  beforeAll(() => {
    engine = enumerate();
  }, 30_000);
  const identifier = /^[A-Za-z_$][\w$]*$/;

  it('sees jsPolicy’s globals and the built-ins', { timeout: 30_000 }, () => {
    expect(engine.globals).toEqual(expect.arrayContaining(['request', 'deny', 'Array', 'Reflect', 'Proxy', 'WebAssembly', '__response', 'readFileSync']));
  });

  it('every global that is not allow-listed is refused, read or called', { timeout: 30_000 }, () => {
    const notAllowed = engine.globals.filter((g) => identifier.test(g) && !SUBSET_GLOBALS.has(g));
    expect(notAllowed.length).toBeGreaterThan(40);
    for (const g of notAllowed) {
      expect(refused(`${g};`) || lintErrors(`${g};`), `${g};`).toBe(true);
      expect(refused(`${g}();`) || lintErrors(`${g}();`), `${g}()`).toBe(true);
    }
  });

  it('every member name of a built-in is known to the linter', { timeout: 30_000 }, () => {
    const names = new Set(Object.values(engine.members).flat());
    expect([...names].filter((n) => !BUILTIN_MEMBER_NAMES.has(n))).toEqual([]);
  });

  it('every static not on its receiver’s list is refused', { timeout: 30_000 }, () => {
    for (const [receiver, names] of Object.entries(engine.members)) {
      if (receiver.includes('.') || receiver.startsWith('%') || !SUBSET_GLOBALS.has(receiver)) continue;
      const allowed = SUBSET_STATICS[receiver] ?? [];
      for (const p of names.filter((n) => identifier.test(n) && !allowed.includes(n))) {
        expect(refused(`${receiver}.${p};`), `${receiver}.${p}`).toBe(true);
        expect(refused(`${receiver}.${p}();`), `${receiver}.${p}()`).toBe(true);
      }
    }
  });

  it('every prototype method not on the list is refused as a call, on any receiver', { timeout: 30_000 }, () => {
    const protoNames = new Set(Object.entries(engine.members).filter(([r]) => r.endsWith('prototype') || r.endsWith('Prototype%')).flatMap(([, n]) => n));
    const notAllowed = [...protoNames].filter((n) => identifier.test(n) && !SUBSET_METHODS.has(n));
    expect(notAllowed).toEqual(expect.arrayContaining(['fill', 'copyWithin', 'call', 'apply', 'bind', 'constructor', '__defineGetter__', 'then', 'matchAll']));
    for (const p of notAllowed) {
      expect(refused(`const x = request.object; x.${p}(1);`) || lintErrors(`const x = request.object; x.${p}(1);`), `x.${p}()`).toBe(true);
      expect(refused(`const x = []; x['${p}'](1);`) || lintErrors(`const x = []; x['${p}'](1);`), `x['${p}']()`).toBe(true);
    }
  });

  it('no call the timeout cannot stop can be written, except over strings built up to V8’s maximum', { timeout: 30_000 }, () => {
    for (const u of UNBOUNDED_BUILTINS) {
      // A string of 2^28 characters: concatenation can double one up to that in ~30 steps, so only a
      // run-time bound stops these (documented in subset.ts and the README).
      if (u.input.includes('.repeat(')) continue;
      // The huge array-likes and typed arrays of the probe cannot be made, and no method can be
      // borrowed onto them: its own call is refused, whatever it calls.
      expect(refused(u.call), u.call).toBe(true);
    }
    expect(refused(`const a = []; a.length = 4294967295; a.every((x) => x);`)).toBe(true);
    expect(refused(`const a = { length: 2 ** 40, every: [].every }; a.every((x) => x);`)).toBe(true);
    expect(refused(`'ab'.split('');`)).toBe(true);
    expect(refused(`const s = 'ab'; s.repeat(100);`)).toBe(true);
  });
});

/** Some names (eval, Function, host powers, names the engine lacks) are other rules' to refuse. */
function lintErrors(js: string): boolean {
  return lintPolicy(policy(js), gen).some((f) => f.severity === 'error');
}

describe('refusals', () => {
  it.each([
    ['this', 'const t = this;', 'subset-syntax'],
    ['arguments', 'function f() { return arguments[0]; } f(1);', 'subset-global'],
    ['labels', 'a: for (const x of [1]) { break a; }', 'subset-syntax'],
    ['classes', 'class A {}', 'subset-syntax'],
    ['getters', 'const o = { get x() { return 1; } };', 'subset-syntax'],
    ['toJSON in a literal', 'mutate({ ...request.object, toJSON: () => 1 });', 'subset-syntax'],
    ['toString written', 'request.object.toString = () => "x";', 'subset-write'],
    ['computed keys in literals', 'const k = "a"; const o = { [k]: 1 };', 'subset-syntax'],
    ['async', 'const f = async () => 1;', 'subset-syntax'],
    ['generators', 'function* g() { yield 1; }', 'subset-syntax'],
    ['for…in', 'for (const k in request.object) print(k);', 'subset-syntax'],
    ['tagged templates', 'String.raw`x`;', 'subset-member'],
    ['.constructor', 'const F = [].constructor;', 'subset-member'],
    ['__proto__', 'const p = request.object.__proto__;', 'subset-member'],
    ["['prototype']", "const p = Object['prototype'];", 'subset-member'],
    ['.call', 'const f = (x) => x; f.call(null, 1);', 'subset-member'],
    ['Reflect', 'Reflect.ownKeys(request);', 'subset-global'],
    ['Proxy', 'new Proxy({}, {});', 'subset-new'],
    ['Symbol', 'Symbol("x");', 'subset-global'],
    ['Promise', 'Promise.resolve(1);', 'subset-global'],
    ['globalThis', 'globalThis.deny("x");', 'subset-global'],
    ['__response', '__response.deny = true;', 'subset-global'],
    ['new Array', 'const a = new Array(5);', 'subset-new'],
    ['Array(n)', 'const a = Array(5);', 'subset-global'],
    ['Array.from', 'const a = Array.from({ length: 5 });', 'subset-member'],
    ['new RegExp', 'new RegExp(request.name).test("x");', 'subset-new'],
    ['RegExp()', 'RegExp("a").test("x");', 'subset-global'],
    ['a computed key from data', 'const k = request.name; const v = request.object[k];', 'subset-member'],
    ['a huge literal index', 'const a = []; a[100000] = 1;', 'subset-member'],
    ['length writes', 'const a = [1]; a.length = 0;', 'subset-write'],
    ['writes to globals', 'Object.keys = () => [];', 'subset-write'],
    ['Object.assign into a built-in', 'Object.assign(Math, { max: 1 });', 'subset-call'],
    ['a built-in as a value', 'const O = Object;', 'subset-global'],
    ['get as a value', 'const g = get; g("Secret", "v1", "x");', 'subset-global'],
    ['Secrets', 'get("Secret", "v1", "default/x");', 'subset-lookup'],
    ['secret lists in any case', 'list("secretlist", "v1");', 'subset-lookup'],
    ['a kind from data', 'get(request.kind.kind, "v1", "x");', 'subset-lookup'],
    ['a protected namespace in get', 'get("ConfigMap", "v1", "kube-system/x");', 'subset-lookup'],
    ['a protected namespace in list', 'list("Pod", "v1", { namespace: "kube-public" });', 'subset-lookup'],
    ['repeat with a size from data', '"x".repeat(request.object.metadata.name.length);', 'subset-call'],
    ['repeat above the bound', '"x".repeat(100000);', 'subset-call'],
    ['split without a limit', 'request.name.split(",");', 'subset-call'],
    ['match with g', 'request.name.match(/a/g);', 'subset-call'],
    ['array methods as values', 'const e = [].every;', 'subset-member'],
    ['delete of a name', 'let x = 1; delete x;', 'subset-write'],
  ])('%s', (_what, js, rule) => {
    expect(subset(js).map((f) => f.rule)).toContain(rule);
  });

  it('findings are errors for generated code and warnings for hand-written policies', () => {
    const js = 'const t = this;';
    expect(subset(js).map((f) => f.severity)).toEqual(['error']);
    expect(subset(js, { ...gen, profile: 'jspolicy' }).map((f) => f.severity)).toEqual(['warning']);
  });

  it('the hint says what to write instead', () => {
    const [f] = subset('const k = request.name; const v = request.object.metadata.labels[k];');
    expect(f?.hint).toContain('ownValue(obj, key)');
  });
});

describe('what policies need passes', () => {
  it.each([
    ['checks and messages', `const c = request.object?.spec?.containers || [];
const bad = c.filter((x) => !x.image || x.image.split(':', 2)[1] === 'latest').map((x) => x.name);
if (bad.length > 0) deny('latest: ' + bad.join(', '));`],
    ['counted loops and literal keys', `const o = request.object || {};
const labels = (o.metadata && o.metadata.labels) || {};
for (let i = 0; i < (o.spec?.containers ?? []).length; i++) { print(o.spec.containers[i].name, labels['app.kubernetes.io/name']); }
if (labels[0] === undefined && Object.keys(labels).length === 0) warn('no labels');`],
    ['mutation of request.object', `const pod = request.object;
pod.metadata.labels = Object.assign({}, pod.metadata.labels, { team: 'web' });
pod.spec.containers[0].imagePullPolicy = 'Always';
mutate(pod);`],
    ['lookups', `const ns = get('Namespace', 'v1', request.namespace);
const pods = list('Pod', 'v1', { namespace: request.namespace }) || [];
if (ns && pods.length > 10) deny('too many pods');`],
    ['maps, sets, dates, numbers, JSON', `const seen = new Set(); const m = new Map();
for (const x of [1, 2]) { seen.add(x); m.set(String(x), x); }
const d = new Date(request.object?.metadata?.creationTimestamp || 0).getTime();
const n = Number.isInteger(parseInt('5', 10)) ? Math.max(1, 2) : 0;
const copy = JSON.parse(JSON.stringify(request.object || {}));
['a', 'b'].map(String).filter(Boolean);
if (d < 0 || n < 0 || !copy || seen.has(3) || m.get('1') !== 1 || /^x$/.test('x') === false) deny('no');`],
    ['try/catch, switch, destructuring, spread', `try {
  const { spec: { replicas = 1 } = {} } = request.object || {};
  switch (request.operation) { case 'CREATE': if (replicas > 5) deny('replicas'); break; default: allow(); }
  const all = [...(request.object?.spec?.containers || []), ...[]];
  print(all.length, \`\${replicas}\`);
} catch (e) { warn(String(e)); }`],
  ])('%s', (_what, js) => {
    expect(subset(js)).toEqual([]);
  });

  it('a library helper reads computed keys for the policy', () => {
    expect(subset('const v = ownValue(request.object.metadata.labels, request.name);', { ...gen, helpers: ['ownValue'] })).toEqual([]);
  });
});
