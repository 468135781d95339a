// A fresh context per run, as jsPolicy's VM pool gives every run a new V8 context (vmpool.go Put →
// RecreateContext): V8 9.6's built-ins only, the natives as read-only globals, then the prepare script.
import vm from 'node:vm';
import { INSTALL_CLOCK } from './clock.ts';
import { PREPARE_SCRIPT } from './prepare-script.ts';
import { ignoreRejectionsOf } from './rejections.ts';
import { REMOVE_NEWER_BUILTINS } from './v8-96.ts';

export type Native = (...args: unknown[]) => unknown;

export interface PolicyContext {
  context: vm.Context;
  /** The global object as the host sees it (Node mirrors the context's globals onto it). */
  global: Record<string, unknown>;
  /** The context's original JSON.parse: natives hand back Go's JSON as v8go's JSONParse does. */
  parseJson(text: string): unknown;
}

// v8go's ObjectTemplate.Set(name, fn, ReadOnly): writable false, still enumerable and configurable.
// The wrappers are created inside the context so the globals are functions of that realm.
const DEFINE_NATIVES = `((natives) => {
  for (const name of Object.keys(natives)) {
    const native = natives[name];
    const fn = { [name](...args) { return native(...args); } }[name];
    Object.defineProperty(globalThis, name, { value: fn, writable: false, enumerable: true, configurable: true });
  }
})`;

export function createPolicyContext(
  now: (() => number) | undefined,
  natives: (context: PolicyContext) => Record<string, Native>,
): PolicyContext {
  const global: Record<string, unknown> = {};
  // afterEvaluate: Promise jobs run before runInContext returns, inside its timeout, like V8's kAuto
  // policy in v8go, which never returns to an event loop.
  const context = vm.createContext(global, { microtaskMode: 'afterEvaluate' });
  vm.runInContext(REMOVE_NEWER_BUILTINS, context);
  ignoreRejectionsOf(vm.runInContext('Promise.prototype', context) as object);
  if (now) (vm.runInContext(INSTALL_CLOCK, context) as (clock: () => number) => void)(now);
  const policyContext: PolicyContext = { context, global, parseJson: vm.runInContext('JSON.parse', context) as (text: string) => unknown };
  (vm.runInContext(DEFINE_NATIVES, context) as (n: Record<string, Native>) => void)(natives(policyContext));
  vm.runInContext(PREPARE_SCRIPT, context, { filename: 'prepare-context.js' });
  return policyContext;
}
