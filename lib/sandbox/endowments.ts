// The globals a candidate sees (jsPolicy's, minus every host power) and the per-run state behind them.
//
// Rules every function here follows, because the candidate can call it:
// - it is an arrow function (no own `caller`/`arguments`, no `prototype`), hardened before it is handed out;
// - it throws the halt sentinel at once when the run is halting or closed;
// - it never catches the halt sentinel (what it catches, it rethrows when it is the sentinel);
// - it turns candidate values into JSON right away (as jsPolicy's natives see their arguments), so candidate
//   code (toJSON, getters, proxies) only runs while the run is live and the step budget counts it;
// - everything it returns is a fresh JSON copy made in this realm.
import type { KubeObject } from '../k8s/types.ts';
import { goAtob, goBtoa } from './base64.ts';
import { sortKeys } from './go-decode.ts';
import type { SesPowers } from './ses.ts';

export interface RunState {
  /** A halting call (deny/allow/mutate/exit/requeue) or the budget stopped the candidate. */
  halted: boolean;
  /** The run is over: any candidate code that still gets called (a promise job, a getter) stops at once. */
  closed: boolean;
  steps: number;
  budget: number;
  budgetExceeded: boolean;
  /** The wall-clock bound (`ms` from the start): `now()` past `at` stops the run at its next tick. */
  deadline?: { now: () => number; at: number; ms: number };
  /** The deadline, not the step count, stopped the run. */
  timeExceeded?: boolean;
  /** __response as JSON.stringify would write it (keys in first-insertion order). */
  response: Record<string, unknown>;
  /** Why JSON.stringify(__response) would fail in jsPolicy (e.g. a BigInt passed to warn). */
  responseError?: string;
  logs: string[];
}

export function newRunState(budget: number, deadline?: RunState['deadline']): RunState {
  return { halted: false, closed: false, steps: 0, budget, budgetExceeded: false, response: {}, logs: [], ...(deadline ? { deadline } : {}) };
}

/** The error text jsPolicy (v8go) gives a thrown value: "Uncaught " + stack for Errors, else String(value). */
export function thrownText(value: unknown): string {
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
    if (Object.prototype.toString.call(value) === '[object Error]') {
      const { name, message } = value as { name?: unknown; message?: unknown };
      const head = String(name ?? 'Error');
      const text = message === undefined || message === '' ? head : `${head}: ${String(message)}`;
      return `Uncaught ${text}`;
    }
  }
  return String(value);
}

interface Thrown {
  reason: string;
  message: string;
  toString(): string;
}

/** The plain object jsPolicy's __throw / natives throw: not an Error, no stack. */
function jsPolicyThrown(reason: string, message: string): Thrown {
  return { reason, message, toString: () => `${reason}: ${message}` };
}

const SECRET_KINDS = new Set(['secret', 'secrets', 'secretlist']);

function isSecretKind(kind: string): boolean {
  return SECRET_KINDS.has(kind.toLowerCase());
}

/** list()'s labelSelector as jsPolicy applies it: only `k=v` / `k==v` terms count, the others match all. */
function parseSelector(selector: string): Record<string, string> {
  const match: Record<string, string> = {};
  const terms: string[] = [];
  let depth = 0;
  let term = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(term);
      term = '';
    } else term += ch;
  }
  terms.push(term);
  const KEY = '[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?';
  const VALUE = '([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?';
  const equality = new RegExp(`^\\s*(${KEY})\\s*(==|=)\\s*(${VALUE})\\s*$`);
  const ignored = [
    new RegExp(`^\\s*${KEY}\\s*!=\\s*${VALUE}\\s*$`),
    new RegExp(`^\\s*${KEY}\\s+(in|notin)\\s*\\(\\s*${VALUE}(\\s*,\\s*${VALUE})*\\s*\\)\\s*$`),
    new RegExp(`^\\s*!?\\s*${KEY}\\s*$`),
  ];
  if (terms.length === 1 && terms[0]!.trim() === '') return match;
  for (const t of terms) {
    const m = equality.exec(t);
    if (m) {
      match[m[1]!] = m[4] ?? '';
      continue;
    }
    if (ignored.some((re) => re.test(t))) continue;
    throw jsPolicyThrown('ParseLabelSelector', `unable to parse requirement: found '${t.trim()}', expected: valid label selector`);
  }
  return match;
}

export interface EndowmentContext {
  state: RunState;
  halt: object;
  powers: SesPowers;
  /** The test case's request (already a fresh JSON copy for this run). */
  request: unknown;
  /** The test case's objects (fresh JSON copies; Secrets already removed). */
  objects: readonly KubeObject[];
}

/** The halting function passed to the rewritten code as its step tick. */
export function makeStep(state: RunState, halt: object): () => void {
  return () => {
    if (state.halted || state.closed) throw halt;
    if (++state.steps > state.budget) {
      state.halted = true;
      state.budgetExceeded = true;
      throw halt;
    }
    // Every tick, not every Nth: one step may be slow (a costly regular expression per iteration).
    if (state.deadline && state.deadline.now() > state.deadline.at) {
      state.halted = true;
      state.budgetExceeded = true;
      state.timeExceeded = true;
      throw halt;
    }
  };
}

export function makeEndowments(ctx: EndowmentContext): Record<string, unknown> {
  const { state, halt, powers } = ctx;
  const live = (): void => {
    if (state.halted || state.closed) throw halt;
  };
  const stop = (): never => {
    state.halted = true;
    throw halt;
  };
  /** JSON.stringify then JSON.parse, as a native receives its arguments; the sentinel passes through. */
  const viaJson = (value: unknown): unknown => {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  };
  /** Records fields of __response; a value JSON cannot write fails the run the way jsPolicy's final stringify would. */
  const setResponse = (fields: Record<string, unknown>): void => {
    let parsed: Record<string, unknown>;
    try {
      parsed = viaJson(fields) as Record<string, unknown>;
    } catch (err) {
      if (err === halt) throw err;
      state.responseError ??= thrownText(err);
      return;
    }
    for (const key of Object.keys(fields)) {
      if (Object.prototype.hasOwnProperty.call(parsed, key)) state.response[key] = parsed[key];
      else delete state.response[key];
    }
  };
  const logLine = (prefix: string, args: unknown[]): void => {
    const parts = args.map((a) => {
      if (typeof a === 'string') return a;
      const text = JSON.stringify(a);
      return text === undefined ? 'undefined' : text;
    });
    state.logs.push(prefix + parts.join(' '));
  };
  const forbidden = (name: string) => (): never => {
    live();
    throw jsPolicyThrown('Forbidden', `${name}() is not available to a generated policy`);
  };

  const objectName = (o: KubeObject): string => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name ?? ''}` : o.metadata.name ?? '');

  const get = (...args: unknown[]): unknown => {
    live();
    if (args.length < 3 || args.length > 4) throw jsPolicyThrown('WrongArguments', 'three arguments expected. Example get("Pod", "v1", "test")');
    const [kind, apiVersion, name, options] = args;
    if (typeof kind !== 'string' || typeof apiVersion !== 'string' || typeof name !== 'string') {
      throw jsPolicyThrown('WrongArguments', 'kind, group version and name need to be string values');
    }
    const opts = viaJson(options);
    if (opts !== undefined && opts !== null) {
      const cache = (opts as { cache?: unknown }).cache;
      if (typeof opts !== 'object' || Array.isArray(opts) || (cache !== undefined && cache !== null && typeof cache !== 'boolean' && cache !== 'smart')) {
        throw jsPolicyThrown('UnmarshalOptions', `json: cannot unmarshal ${JSON.stringify(opts)} into get options`);
      }
    }
    if (isSecretKind(kind)) throw jsPolicyThrown('Forbidden', `Secrets are not readable by a generated policy (get ${kind} ${name})`);
    const found = ctx.objects.find((o) => o.kind === kind && o.apiVersion === apiVersion && objectName(o) === name);
    return found === undefined ? undefined : sortKeys(viaJson(found));
  };

  const list = (...args: unknown[]): unknown => {
    live();
    if (args.length < 2 || args.length > 3) throw jsPolicyThrown('WrongArguments', 'two or three arguments expected. Example list("Pod", "v1", {namespace: "default"})');
    const [kindArg, apiVersion, options] = args;
    if (typeof kindArg !== 'string' || typeof apiVersion !== 'string') throw jsPolicyThrown('WrongArguments', 'kind and group version need to be string values');
    const opts = viaJson(options);
    let namespace = '';
    let selector = '';
    if (opts !== undefined && opts !== null) {
      const o = opts as { namespace?: unknown; labelSelector?: unknown; cache?: unknown };
      const bad =
        typeof opts !== 'object' ||
        Array.isArray(opts) ||
        (o.namespace != null && typeof o.namespace !== 'string') ||
        (o.labelSelector != null && typeof o.labelSelector !== 'string') ||
        (o.cache != null && typeof o.cache !== 'boolean');
      if (bad) throw jsPolicyThrown('UnmarshalOptions', `json: cannot unmarshal ${JSON.stringify(opts)} into list options`);
      namespace = typeof o.namespace === 'string' ? o.namespace : '';
      selector = typeof o.labelSelector === 'string' ? o.labelSelector : '';
    }
    const kind = kindArg.endsWith('List') ? kindArg.slice(0, -'List'.length) : kindArg;
    if (isSecretKind(kind) || isSecretKind(kindArg)) throw jsPolicyThrown('Forbidden', `Secrets are not readable by a generated policy (list ${kindArg})`);
    const labels = parseSelector(selector);
    const items = ctx.objects
      .filter((o) => o.kind === kind && o.apiVersion === apiVersion)
      .filter((o) => namespace === '' || o.metadata.namespace === namespace)
      .filter((o) => Object.entries(labels).every(([k, v]) => o.metadata.labels?.[k] === v))
      .sort((a, b) => (objectName(a) < objectName(b) ? -1 : objectName(a) > objectName(b) ? 1 : 0));
    return items.length === 0 ? undefined : items.map((o) => sortKeys(viaJson(o)));
  };

  const warn = (...args: unknown[]): void => {
    live();
    const warnings = (state.response.warnings as unknown[] | undefined) ?? [];
    let item: unknown;
    try {
      item = (viaJson([args[0]]) as unknown[])[0];
    } catch (err) {
      if (err === halt) throw err;
      state.responseError ??= thrownText(err);
      return;
    }
    warnings.push(item);
    state.response.warnings = warnings;
  };

  const deny = (...args: unknown[]): never => {
    live();
    setResponse({ deny: true, message: args[0], reason: args[1], code: args[2] });
    return stop();
  };
  const allow = (): never => {
    live();
    return stop();
  };
  const exit = allow;
  const mutate = (...args: unknown[]): never => {
    live();
    setResponse({ patched: args[0] });
    return stop();
  };
  const requeue = (...args: unknown[]): never => {
    live();
    setResponse({ reschedule: true, message: args[0] });
    return stop();
  };
  const print = (...args: unknown[]): void => {
    live();
    logLine('', args);
  };
  const consoleMethod = (...args: unknown[]): void => {
    live();
    logLine('[console] ', args);
  };
  const console = {
    log: consoleMethod,
    info: consoleMethod,
    warn: consoleMethod,
    error: consoleMethod,
    debug: consoleMethod,
    trace: consoleMethod,
  };
  const sleep = (): undefined => {
    live();
    return undefined;
  };
  const atob = (...args: unknown[]): string | undefined => {
    live();
    return goAtob(...args);
  };
  const btoa = (...args: unknown[]): string | undefined => {
    live();
    return goBtoa(...args);
  };

  const { harden } = powers;
  return {
    request: ctx.request,
    exports: {},
    console: harden(console),
    print: harden(print),
    warn: harden(warn),
    deny: harden(deny),
    allow: harden(allow),
    exit: harden(exit),
    mutate: harden(mutate),
    requeue: harden(requeue),
    get: harden(get),
    list: harden(list),
    sleep: harden(sleep),
    atob: harden(atob),
    btoa: harden(btoa),
    create: harden(forbidden('create')),
    update: harden(forbidden('update')),
    remove: harden(forbidden('remove')),
    fetchSync: harden(forbidden('fetchSync')),
    env: harden(forbidden('env')),
    readFileSync: harden(forbidden('readFileSync')),
    Date: powers.Date,
    Math: powers.Math,
    Float32Array: powers.Float32Array,
    Float64Array: powers.Float64Array,
  };
}

/** The test objects a candidate may read: JSON copies, never a Secret. */
export function readableObjects(objects: readonly KubeObject[] | undefined): KubeObject[] {
  if (!objects) return [];
  const copies = JSON.parse(JSON.stringify(objects)) as KubeObject[];
  return copies.filter((o) => o !== null && typeof o === 'object' && typeof o.kind === 'string' && !isSecretKind(o.kind) && typeof o.metadata === 'object' && o.metadata !== null);
}
