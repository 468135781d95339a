import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/k8s/types.ts';
import type { ApiResource, Cluster, RunOptions, UserInfo, WriteResult } from '../../tools/runtime/contracts.ts';
import { runPolicyScript } from '../../tools/runtime/vm/index.ts';
import { equalityTerms } from '../../tools/runtime/vm/label-selector.ts';

const RESOURCES: ApiResource[] = [
  { group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true, statusSubresource: true },
  { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false, statusSubresource: true },
];

/** A tiny Cluster: enough to see what the natives ask for and answer. */
function fakeCluster(objects: KubeObject[] = []) {
  const calls: Array<{ op: string; args: unknown[] }> = [];
  const store = [...objects];
  const find = (kind: string, ns: string | undefined, name: string) =>
    store.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === ns);
  const cluster: Cluster = {
    resources: () => RESOURCES,
    resourceFor: (apiVersion, kind) => RESOURCES.find((r) => r.kind === kind && apiVersion === 'v1'),
    get: (apiVersion, kind, ns, name) => (calls.push({ op: 'get', args: [apiVersion, kind, ns, name] }), find(kind, ns, name)),
    list: (apiVersion, kind, options) => {
      calls.push({ op: 'list', args: [apiVersion, kind, options] });
      const wanted = (options?.labelSelector ?? '').split(',').filter(Boolean).map((t) => t.split('='));
      return store.filter((o) => o.kind === kind && (!options?.namespace || o.metadata.namespace === options.namespace) &&
        wanted.every(([k, v]) => o.metadata.labels?.[k!] === v));
    },
    create: (object, as?: UserInfo): WriteResult => {
      calls.push({ op: 'create', args: [object, as] });
      if (find(object.kind, object.metadata.namespace, object.metadata.name!)) {
        return { ok: false, code: 409, reason: 'AlreadyExists', message: `pods "${object.metadata.name}" already exists` };
      }
      const stored = { ...object, metadata: { ...object.metadata, uid: 'u-1', resourceVersion: '1' } };
      store.push(stored);
      return { ok: true, object: stored };
    },
    update: (object, as) => (calls.push({ op: 'update', args: [object, as] }), { ok: false, code: 500, reason: '', message: 'boom' }),
    updateStatus: () => { throw new Error('not used'); },
    remove: (apiVersion, kind, ns, name, as) => {
      calls.push({ op: 'remove', args: [apiVersion, kind, ns, name, as] });
      const found = find(kind, ns, name);
      if (found) store.splice(store.indexOf(found), 1);
      return found ? { ok: true, object: found } : { ok: false, code: 404, reason: 'NotFound', message: `pods "${name}" not found` };
    },
    handleHttp: () => ({ status: 200, headers: {}, body: '' }),
    watch: () => () => undefined,
    setAdmission: () => undefined,
  };
  return { cluster, calls };
}

const pod = (name: string, labels: Record<string, string> = {}): KubeObject =>
  ({ kind: 'Pod', apiVersion: 'v1', metadata: { namespace: 'ns', name, labels }, spec: { z: 1, a: 2 } });

function run(javascript: string, extra: Partial<RunOptions> = {}) {
  const lines: string[] = [];
  const outcome = runPolicyScript({ policyName: 'globals.test.com', javascript, request: { uid: 'x' }, log: (l) => lines.push(l), ...extra });
  return { outcome, lines };
}

/** Runs `expression` and returns its value as the policy saw it (through warn + JSON). */
function value(expression: string, extra: Partial<RunOptions> = {}): unknown {
  const { outcome } = run(`warn(JSON.stringify({v: (${expression})}))`, extra);
  if (outcome.kind !== 'completed') throw new Error(outcome.message);
  return JSON.parse(outcome.response.warnings![0]!).v;
}

describe('language and built-ins (V8 9.6)', () => {
  it('built-ins newer than V8 9.6 are missing', () => {
    expect(value(`[
      [].findLast, [].findLastIndex, new Uint8Array(1).findLast, [].toSorted, [].toReversed, [].toSpliced, [].with,
      new Uint8Array(1).toSorted, ''.isWellFormed, ''.toWellFormed, Object.groupBy, Map.groupBy, Promise.withResolvers,
      new ArrayBuffer(1).resize, new ArrayBuffer(1).transfer, new Set().union, Array.fromAsync, Intl.supportedValuesOf,
      /x/.unicodeSets
    ].map((x) => x === undefined)`)).toEqual(Array(19).fill(true));
    expect(value(`'findLast' in Array.prototype[Symbol.unscopables]`)).toBe(false);
  });

  it('V8 9.6 features stay: at, Object.hasOwn, replaceAll, error cause, optional chaining', () => {
    expect(value(`[[1, 2].at(-1), Object.hasOwn({a: 1}, 'a'), 'aa'.replaceAll('a', 'b'), new Error('x', {cause: 1}).cause, ({})?.a ?? 'd']`))
      .toEqual([2, true, 'bb', 1, 'd']);
  });

  it('no host APIs: only exports, no module/require/process/timers/Buffer/TextEncoder/URL', () => {
    expect(value(`['module', 'require', 'process', 'setTimeout', 'queueMicrotask', 'structuredClone', 'Buffer', 'TextEncoder', 'URL', 'fetch', 'global'].map((n) => typeof globalThis[n])`))
      .toEqual(Array(11).fill('undefined'));
    expect(value(`typeof exports + typeof console + typeof eval('1')`)).toBe('objectobjectnumber');
  });

  it('sloppy mode: an undeclared assignment creates a global; top-level this is the global', () => {
    expect(value(`(() => { undeclared = 5; return [globalThis.undeclared, this === globalThis]; })()`)).toEqual([5, true]);
    const { outcome } = run(`var self = this; warn(String(self === globalThis && typeof self.deny === 'function'))`);
    expect(outcome).toMatchObject({ response: { warnings: ['true'] } });
  });

  it('console methods exist and print nothing', () => {
    const writes: string[] = [];
    const original = [process.stdout.write, process.stderr.write];
    process.stdout.write = process.stderr.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      run(`console.log('LOUD'); console.error('LOUD'); console.warn('LOUD'); console.info('LOUD')`);
    } finally {
      [process.stdout.write, process.stderr.write] = original as [typeof process.stdout.write, typeof process.stderr.write];
    }
    expect(writes.join('')).not.toContain('LOUD');
  });

  it('natives are read-only: sloppy assignment is ignored, strict assignment throws', () => {
    expect(value(`(() => { print = 1; return typeof print; })()`)).toBe('function');
    expect(run(`(function () { 'use strict'; print = 1; })()`).outcome).toMatchObject({
      kind: 'error', message: expect.stringContaining('Uncaught TypeError: Cannot assign to read only property') });
  });

  it("a top-level 'use strict' is no directive: jsPolicy's prefix comes first", () => {
    expect(run(`'use strict'; print = 1; undeclared = 1;`).outcome).toMatchObject({ kind: 'completed' });
  });

  it('every run gets a fresh context', () => {
    run(`globalThis.leak = 1; Array.prototype.leak = 2;`);
    expect(value(`[typeof leak, typeof [].leak]`)).toEqual(['undefined', 'undefined']);
  });

  it('the request is a var holding the JSON of the request; __policy is the name', () => {
    expect(value(`[request.uid, __policy]`)).toEqual(['x', 'globals.test.com']);
  });

  it('now option: Date.now() and new Date() use the virtual clock, the rest is untouched', () => {
    const at = Date.UTC(2030, 0, 2, 3, 4, 5);
    expect(value(`[Date.now(), new Date().toISOString(), new Date(0).toISOString(), Date.UTC(2000, 0), typeof Date(), new Date() instanceof Date]`, { now: () => at }))
      .toEqual([at, '2030-01-02T03:04:05.000Z', '1970-01-01T00:00:00.000Z', 946684800000, 'string', true]);
  });
});

describe('simple natives', () => {
  it('print: "[name] " + strings raw, others JSON, unserialisable skipped', () => {
    const { lines } = run(`print('a', 1, {b: [2]}, undefined, null, () => 1, 1n, 'z')`);
    expect(lines).toEqual(['[globals.test.com] a 1 {"b":[2]} undefined null undefined z']);
  });

  it('env: value, "" when unset, undefined for bad arguments', () => {
    const access = { env: { A: 'x' } };
    expect(value(`[env('A'), env('B'), env('constructor'), env(1) === undefined, env('A', 'B') === undefined]`, { access }))
      .toEqual(['x', '', '', true, true]);
    expect(value(`env('HOME')`)).toBe('');
  });

  it('readFileSync: content or undefined', () => {
    const access = { files: { '/var/run/secrets/token': 'tok' } };
    expect(value(`[readFileSync('/var/run/secrets/token'), readFileSync('/etc/passwd') === undefined]`, { access })).toEqual(['tok', true]);
  });

  it('btoa/atob follow Go StdEncoding over UTF-8', () => {
    expect(value(`[btoa('é'), btoa('€'), btoa('hello'), atob('w6k='), atob('aGVs\\r\\nbG8='), atob('aGVsbG8') === undefined,
      atob('aGVsbG8=!') === undefined, atob('/w==') === '\\ufffd', btoa(1) === undefined, atob() === undefined]`))
      .toEqual(['w6k=', '4oKs', 'aGVsbG8=', 'é', 'hello', true, true, true, true, true]);
  });

  it('sleep: blocks, capped at 1000 ms, ignores bad arguments', () => {
    const started = Date.now();
    run(`sleep(60.9); sleep(-5); sleep('100'); sleep(NaN);`);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(55);
    expect(elapsed).toBeLessThan(500);
    expect(value(`sleep(1)`)).toBeUndefined();
  });
});

describe('cluster natives', () => {
  it('get: the object with keys sorted, undefined when not found or without namespace', () => {
    const { cluster, calls } = fakeCluster([pod('a')]);
    expect(JSON.stringify(value(`get('Pod', 'v1', 'ns/a')`, { cluster }))).toBe(
      '{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{},"name":"a","namespace":"ns"},"spec":{"a":2,"z":1}}');
    expect(value(`[get('Pod', 'v1', 'ns/b') === undefined, get('Pod', 'v1', 'a') === undefined]`, { cluster })).toEqual([true, true]);
    expect(calls.filter((c) => c.op === 'get').map((c) => c.args[2])).toEqual(['ns', 'ns']);
  });

  it('get cache options: true/false/smart accepted, anything else UnmarshalOptions', () => {
    const { cluster } = fakeCluster([pod('a')]);
    expect(value(`[true, false, 'smart'].map((cache) => get('Pod', 'v1', 'ns/a', {cache}).metadata.name)`, { cluster })).toEqual(['a', 'a', 'a']);
    expect(run(`get('Pod', 'v1', 'ns/a', {cache: 'false'})`, { cluster }).outcome).toMatchObject({
      kind: 'error', message: 'UnmarshalOptions: json: cannot unmarshal string into Go struct field GetOptions.cache of type bool' });
  });

  it('get of an unknown kind throws RetrieveObject', () => {
    const { cluster } = fakeCluster();
    expect(run(`get('Nope', 'v1', 'x')`, { cluster }).outcome).toMatchObject({ kind: 'error', message: 'RetrieveObject: no matches for kind "Nope" in version "v1"' });
  });

  it('list: undefined when empty; equality terms only reach the cluster', () => {
    const { cluster, calls } = fakeCluster([pod('a', { app: 'x', tier: 'web' }), pod('b', { app: 'y' })]);
    expect(value(`list('Pod', 'v1', {namespace: 'other'})`, { cluster })).toBeUndefined();
    expect(value(`list('Pod', 'v1', {labelSelector: 'app=x, tier in (web), !gone, env'}).map((p) => p.metadata.name)`, { cluster })).toEqual(['a']);
    expect(value(`list('PodList', 'v1').length`, { cluster })).toBe(2);
    expect(calls.filter((c) => c.op === 'list').map((c) => c.args)).toEqual([
      ['v1', 'Pod', { namespace: 'other', labelSelector: undefined }],
      ['v1', 'Pod', { namespace: undefined, labelSelector: 'app=x' }],
      ['v1', 'Pod', { namespace: undefined, labelSelector: undefined }],
    ]);
  });

  it('list errors: ParseLabelSelector, UnmarshalOptions for cache smart, ErrorListing', () => {
    const { cluster } = fakeCluster();
    expect(run(`list('Pod', 'v1', {labelSelector: 'a!=b'})`, { cluster }).outcome).toMatchObject({ message: 'ParseLabelSelector: "!=" is not a valid label selector operator' });
    expect(run(`list('Pod', 'v1', {cache: 'smart'})`, { cluster }).outcome).toMatchObject({
      message: 'UnmarshalOptions: json: cannot unmarshal string into Go struct field ListOptions.cache of type bool' });
    expect(run(`list('Nope', 'v1')`, { cluster }).outcome).toMatchObject({ message: 'ErrorListing: no matches for kind "Nope" in version "v1"' });
    expect(run(`try { list(1, 'v1') } catch (e) { warn(String(e instanceof Error) + ' ' + e.reason + ' ' + e) }`, { cluster }).outcome)
      .toMatchObject({ response: { warnings: ['false WrongArguments WrongArguments: kind and group version need to be string values'] } });
  });

  it('create/update: ActionResult in Go field order, as the jsPolicy service account', () => {
    const { cluster, calls } = fakeCluster([pod('taken')]);
    expect(value(`[create(${JSON.stringify(pod('new'))}), create(${JSON.stringify(pod('taken'))}), update(${JSON.stringify(pod('taken'))})].map((r) => [Object.keys(r), r])`, { cluster }))
      .toEqual([
        [['object', 'ok'], { ok: true, object: { ...pod('new'), metadata: { ...pod('new').metadata, uid: 'u-1', resourceVersion: '1' } } }],
        [['ok', 'reason', 'message'], { ok: false, reason: 'AlreadyExists', message: 'pods "taken" already exists' }],
        [['ok', 'message'], { ok: false, message: 'boom' }],
      ]);
    expect((calls.find((c) => c.op === 'create')!.args[1] as UserInfo).username).toBe('system:serviceaccount:jspolicy:serviceaccount');
  });

  it('create/update throw on bad arguments; remove returns them and never throws', () => {
    const { cluster } = fakeCluster([pod('a')]);
    expect(run(`create('x')`, { cluster }).outcome).toMatchObject({
      message: 'UnmarshalObject: json: cannot unmarshal string into Go value of type map[string]interface {}' });
    expect(run(`update()`, { cluster }).outcome).toMatchObject({ message: "UnmarshalObject: invalid character 'u' looking for beginning of value" });
    expect(value(`[remove('x'), remove(${JSON.stringify(pod('a'))}), remove(${JSON.stringify(pod('a'))})]`, { cluster })).toEqual([
      { ok: false, reason: 'UnmarshalObject', message: 'json: cannot unmarshal string into Go value of type map[string]interface {}' },
      { ok: true, object: JSON.parse(JSON.stringify(pod('a'))) },
      { ok: false, reason: 'NotFound', message: 'pods "a" not found' },
    ]);
  });

  it('without a cluster: nothing is found and writes fail with NotFound', () => {
    expect(value(`[get('Pod', 'v1', 'ns/a') === undefined, list('Pod', 'v1') === undefined, create({kind: 'Pod'}), remove({kind: 'Pod'})]`)).toEqual([
      true, true,
      { ok: false, reason: 'NotFound', message: 'the server could not find the requested resource' },
      { ok: false, reason: 'NotFound', message: 'the server could not find the requested resource' },
    ]);
  });
});

describe('label selectors (metav1.ParseToLabelSelector → MatchLabels)', () => {
  it.each([
    ['a=b,c==d', { selector: 'a=b,c=d' }],
    ['a in (x,y), !b, c, d notin (z)', { selector: '' }],
    ['a=', { selector: 'a=' }],
    ['', { selector: '' }],
    ['a>1', { error: '"gt" isn\'t supported in label selectors' }],
    ['a=b=c', { error: 'couldn\'t parse the selector string "a=b=c": found \'=\', expected: \',\' or \'end of string\'' }],
    ['a in x', { error: 'couldn\'t parse the selector string "a in x": unable to parse requirement: found \'x\' expected: \'(\'' }],
  ])('%s', (selector, expected) => {
    expect(equalityTerms(selector)).toEqual(expected);
  });

  it('invalid keys are reported like apimachinery', () => {
    expect(equalityTerms('-a=b')).toEqual({ error: expect.stringContaining('unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of') });
  });
});
