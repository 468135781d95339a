// Loading ses (Endo's lockdown + Compartment) into the current realm, only when a candidate must run.
// The ses source is a string (see ses-source.ts) so that jsPolicy, which compiles the whole controller
// script on every event, only scans a string literal on the no-op path instead of parsing 237 KB of code.

export interface SesCompartment {
  readonly globalThis: Record<string, unknown>;
  evaluate(source: string, options?: Record<string, unknown>): unknown;
}

export type CompartmentConstructor = new (options: { globals: Record<string, unknown>; __options__: true; name?: string }) => SesCompartment;

/** What the sandbox keeps from ses and from the start compartment once the realm is locked down. */
export interface SesPowers {
  Compartment: CompartmentConstructor;
  harden: <T>(value: T) => T;
  /** The start compartment's Date and Math (compartments get ones whose now()/new Date()/random() throw). */
  Date: DateConstructor;
  Math: Math;
  /** Hardened intrinsics ses keeps off compartment globals (NaN side channel only): jsPolicy has them. */
  Float32Array: Float32ArrayConstructor;
  Float64Array: Float64ArrayConstructor;
}

/**
 * lockdown() options, chosen for a bare V8 context whose console is a no-op and whose other code (the
 * controller itself) keeps running after lockdown:
 * - errorTaming 'unsafe': keep V8's own `stack` on errors (jsPolicy reports "Uncaught " + err.stack) and
 *   do not replace globalThis.assert. Candidates can read stack text (file positions), nothing else.
 * - stackFiltering 'verbose': no stack rewriting work.
 * - consoleTaming 'unsafe', reporting 'none', errorTrapping/unhandledRejectionTrapping 'none': leave the
 *   console alone and print nothing; there is no process/window to hook into.
 * - evalTaming 'unsafe-eval': the start compartment (our controller) keeps the original eval/Function;
 *   compartments get safe evaluators whatever this says (and the sandbox removes even those).
 * - localeTaming 'unsafe': keep localeCompare/toLocaleString as V8 has them, for the controller and the
 *   candidate alike (jsPolicy's behaviour); 'safe' would change them for the controller too.
 * - regExpTaming 'safe' (default): removes the legacy RegExp.$1… statics, which would let a candidate read
 *   the last match the controller made, and RegExp.prototype.compile.
 * - overrideTaming 'severe': once Object.prototype is frozen, assigning a property it has (constructor,
 *   hasOwnProperty, toLocaleString …) to an ordinary object fails ("override mistake"); with 'moderate'
 *   even `Object.assign({}, { constructor: 1 })` throws, which our controller could meet in data it
 *   copies. 'severe' turns them all into accessors that allow the assignment; measured cost: none
 *   (lockdown ≈ 5.5 ms either way, property reads unchanged).
 */
export const LOCKDOWN_OPTIONS: Readonly<Record<string, string>> = {
  errorTaming: 'unsafe',
  stackFiltering: 'verbose',
  consoleTaming: 'unsafe',
  reporting: 'none',
  errorTrapping: 'none',
  unhandledRejectionTrapping: 'none',
  evalTaming: 'unsafe-eval',
  localeTaming: 'unsafe',
  regExpTaming: 'safe',
  overrideTaming: 'severe',
};

interface SesGlobals {
  lockdown?: (options: Record<string, string>) => void;
  harden?: <T>(value: T) => T;
  Compartment?: CompartmentConstructor;
}

let powers: SesPowers | undefined;

function sesGlobals(): SesGlobals {
  return globalThis as unknown as SesGlobals;
}

/** Evaluates the ses UMD source (defines globalThis.lockdown, harden, Compartment) unless already there. */
export function installSes(source: string): void {
  if (typeof sesGlobals().lockdown === 'function') return;
  // Indirect eval: the source runs as a global script, not in this module's scope.
  const indirectEval = globalThis.eval;
  indirectEval(source);
  if (typeof sesGlobals().lockdown !== 'function') throw new Error('gptpolicy sandbox: the ses source did not define lockdown()');
}

function lockedDown(): boolean {
  const g = sesGlobals();
  return typeof g.harden === 'function' && typeof g.Compartment === 'function' && Object.isFrozen(Object.prototype);
}

/**
 * Loads ses and locks the realm down, once per realm (every later call answers the same powers).
 * After this, the realm's intrinsics (Object.prototype, JSON, Array.prototype …) are frozen for the rest
 * of the run: code that patches built-ins must run before.
 */
export function prepareSandbox(sesSource: string): SesPowers {
  if (powers) return powers;
  if (!lockedDown()) {
    installSes(sesSource);
    sesGlobals().lockdown!({ ...LOCKDOWN_OPTIONS });
  }
  const g = sesGlobals();
  if (typeof g.Compartment !== 'function' || typeof g.harden !== 'function') throw new Error('gptpolicy sandbox: lockdown() left no Compartment/harden');
  powers = {
    Compartment: g.Compartment,
    harden: g.harden,
    Date: globalThis.Date,
    Math: globalThis.Math,
    Float32Array: globalThis.Float32Array,
    Float64Array: globalThis.Float64Array,
  };
  return powers;
}

/** The powers if prepareSandbox already ran in this realm. */
export function sandboxPowers(): SesPowers | undefined {
  return powers;
}
