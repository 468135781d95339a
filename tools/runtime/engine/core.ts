// One policy run as jsPolicy's VM does it, inside whichever V8 this module is loaded in: the V8 9.6
// engine process (engine/child.ts) or, as a fallback, the host's own V8 (engine/index.ts).
//
// pkg/webhook/handler.go runScript + pkg/vm/vm.go: a fresh context with jsPolicy's natives and
// prepare script, `var __policy = …; var request = …; <bundle>` as one classic script under the run
// timeout, then V8 runs the Promise jobs still queued (v8go's kAuto microtask policy runs them when
// the script returns, whether it completed, halted, threw or timed out; a job can still change
// __response), and only then, outside the timeout, jsPolicy serializes __response with
// V8's JSON::Stringify (a toJSON on it runs unbounded).
import vm from 'node:vm';
import { INSTALL_CLOCK } from '../vm/clock.ts';
import { atob, btoa } from '../vm/go-base64.ts';
import { requestHalt, runUntilHalt, type Deadline } from '../vm/halting.ts';
import { PREPARE_SCRIPT } from '../vm/prepare-script.ts';
import { ignoreRejectionsOf } from '../vm/rejections.ts';
import { thrownText } from '../vm/thrown.ts';
import { REMOVE_NEWER_BUILTINS } from '../vm/v8-96.ts';
import { HOST_NATIVES, type Arg, type EvalReply, type EvalRequest, type RunReply, type RunRequest } from './protocol.ts';

/** How the engine reaches the host: synchronous, as jsPolicy's Go callbacks block V8. */
export interface HostLink {
  native(name: string, args: Arg[], origin: string): string | undefined;
  now(): number;
  /** How runs end at their timeout (node:vm's own timeout when absent). */
  deadline?: Deadline;
}

export interface OpenContext {
  context: vm.Context;
  global: Record<string, unknown>;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

// v8go's ObjectTemplate.Set(name, fn, ReadOnly): writable false, still enumerable and configurable.
// The wrappers are created inside the context so the globals are functions of that realm.
const DEFINE_NATIVES = `((natives) => {
  for (const name of Object.keys(natives)) {
    const native = natives[name];
    const fn = { [name](...args) { return native(...args); } }[name];
    Object.defineProperty(globalThis, name, { value: fn, writable: false, enumerable: true, configurable: true });
  }
})`;

/** Reads a value as a Go callback sees it: its type, and objects through JSONStringify. */
export function encodeArg(value: unknown): Arg {
  const type = typeof value;
  if (type === 'string') return { type, value: value as string };
  try {
    return { type, json: String(JSON.stringify(value)) };
  } catch (err) {
    let error: string;
    try {
      error = String(err);
    } catch {
      error = '';
    }
    return { type, error };
  }
}

/** A fresh context with jsPolicy's natives and prepare script (vmpool.go Put → RecreateContext). */
export function openContext(request: RunRequest, host: HostLink): OpenContext {
  const global: Record<string, unknown> = {};
  const context = vm.createContext(global, { microtaskMode: 'afterEvaluate' });
  vm.runInContext(REMOVE_NEWER_BUILTINS, context);
  ignoreRejectionsOf(vm.runInContext('Promise.prototype', context) as object);
  if (request.virtualClock) (vm.runInContext(INSTALL_CLOCK, context) as (clock: () => number) => void)(() => host.now());
  const parseJson = vm.runInContext('JSON.parse', context) as (text: string) => unknown;
  const origin = () => {
    try {
      return String(global.__policy);
    } catch {
      return '';
    }
  };
  const remote = (name: string) => (...args: unknown[]) => {
    const text = host.native(name, args.map(encodeArg), origin());
    return text === undefined ? undefined : parseJson(text);
  };
  const natives: Record<string, (...args: unknown[]) => unknown> = Object.fromEntries(HOST_NATIVES.map((name) => [name, remote(name)]));
  const local: Record<string, (...args: unknown[]) => unknown> = {
    sleep: (...args) => {
      // One number; time.Duration(min(ms, 1000)) truncates fractions; NaN and negatives do not sleep.
      if (args.length !== 1 || typeof args[0] !== 'number') return undefined;
      const ms = Math.trunc(Math.min(args[0], 1000));
      if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
      return undefined;
    },
    atob,
    btoa,
    // os.Getenv answers "" for unset names; readFileSync undefined for missing files.
    env: (...args) => lookup(request.env, args, ''),
    readFileSync: (...args) => lookup(request.files, args, undefined),
    __exit: () => requestHalt(),
  };
  for (const [name, fn] of Object.entries(local)) natives[name] = request.allNativesRemote ? remote(name) : fn;
  (vm.runInContext(DEFINE_NATIVES, context) as (n: Record<string, unknown>) => void)(natives);
  vm.runInContext(PREPARE_SCRIPT, context, { filename: 'prepare-context.js' });
  return { context, global };
}

function lookup(table: Record<string, string>, args: unknown[], missing: string | undefined): string | undefined {
  if (args.length !== 1 || typeof args[0] !== 'string') return undefined;
  return Object.prototype.hasOwnProperty.call(table, args[0]) ? table[args[0]] : missing;
}

const DRAIN = new vm.Script('void 0', { filename: 'microtasks' });

/**
 * After a timeout, v8go still runs the jobs the script left queued, and a job that loops is cut by
 * the pending termination: here the jobs get this long.
 */
const JOBS_AFTER_TIMEOUT_MS = 100;

/**
 * Runs the Promise jobs the script left queued, as V8 does when the outermost call returns: within
 * what is left of the timeout. A job may halt (deny/allow) or time out; it never throws.
 */
function runQueuedJobs(context: vm.Context, origin: string, remainingMs: number, deadline?: Deadline): { error?: string } {
  return runUntilHalt(DRAIN, context, origin, Math.ceil(remainingMs > 0 ? remainingMs : JOBS_AFTER_TIMEOUT_MS), deadline);
}

export function runScript(request: RunRequest, host: HostLink): RunReply {
  const v8 = process.versions.v8;
  if (request.parseOnly) return parse(request, v8);
  const opened = performance.now();
  const { context, global } = openContext(request, host);
  const started = performance.now();
  const reply = (ending: { error: string } | { response: string }): RunReply => ({ ...ending, v8, contextMs: started - opened, scriptMs: performance.now() - started });
  const run = runUntilHalt(request.code, context, request.policyName, request.timeoutMs, host.deadline);
  const jobs = runQueuedJobs(context, request.policyName, request.timeoutMs - (performance.now() - started), host.deadline);
  const error = run.error ?? jobs.error;
  if (error !== undefined) return reply({ error });
  // handler.go: JSONStringify(__response) after RunScriptWithTimeout returned: no timeout applies.
  try {
    return reply({ response: String(JSON.stringify(global.__response)) });
  } catch (err) {
    // v8go's JSONStringify error: the exception's text, no stack (nothing of the policy is on it).
    let text: string;
    try {
      text = String(err);
    } catch {
      text = '';
    }
    return reply({ error: text });
  }
}

/** Compiles without running: whether this V8 reads the code at all. */
function parse(request: RunRequest, v8: string): RunReply {
  const started = performance.now();
  try {
    new vm.Script(request.code, { filename: request.policyName });
    return { response: 'null', v8, contextMs: 0, scriptMs: performance.now() - started };
  } catch (err) {
    return { error: String(err), v8, contextMs: 0, scriptMs: performance.now() - started };
  }
}

/** Evaluates code in an open context; the completion value comes back as JSON text. */
export function evaluate(open: OpenContext, request: Omit<EvalRequest, 'session'>, deadline?: Deadline): EvalReply {
  let value: unknown;
  let timedOut = false;
  try {
    deadline?.arm(request.timeoutMs);
    try {
      value = vm.runInContext(request.code, open.context, { filename: request.filename, displayErrors: false, ...(deadline ? { breakOnSigint: true } : { timeout: request.timeoutMs }) });
    } finally {
      timedOut = deadline?.disarm() ?? false;
    }
  } catch (err) {
    return { error: timedOut ? `Script execution timed out after ${request.timeoutMs}ms` : thrownText(err) };
  }
  try {
    return { json: String(JSON.stringify(value)) };
  } catch (err) {
    return { error: thrownText(err) };
  }
}
