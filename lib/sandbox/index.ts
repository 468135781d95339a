// Runs an untrusted candidate policy against test AdmissionRequests inside the controller's own V8 run,
// as jsPolicy would run it, with no host power in reach. See README.md for the guarantees and the costs.
//
//   const compiled = compileCandidate({ javascript, policyType: 'Validating' });   // parse + rewrite, once
//   const result = compiled.run(request, objects);                                 // per test case
//
// The first run in a realm loads ses and calls lockdown(): from then on the realm's built-ins are frozen.
import type { AdmissionRequest, KubeObject } from '../k8s/types.ts';
import { makeEndowments, makeStep, newRunState, readableObjects, thrownText, type RunState } from './endowments.ts';
import { responseTypeError, sortKeys } from './go-decode.ts';
import { freshNames, rewriteScript, type RewriteNames } from './rewrite.ts';
import sesSource from './ses-source.ts';
import { prepareSandbox as prepareSes, type SesPowers } from './ses.ts';

export { installSes, LOCKDOWN_OPTIONS } from './ses.ts';

export type CandidateVerdict = 'allow' | 'deny' | 'mutate' | 'error';

export interface CandidateResult {
  verdict: CandidateVerdict;
  /** deny: the message; error: jsPolicy's error text (`Uncaught TypeError: …`, `json: cannot unmarshal …`). */
  message?: string;
  /** deny: the reason jsPolicy answers (default "Forbidden"). */
  reason?: string;
  /** deny: the code jsPolicy answers (default 403); error: 500. */
  code?: number;
  /** mutate: the object the policy passed to mutate() (JSON). */
  patched?: unknown;
  warnings: string[];
  logs: string[];
  steps: number;
  budgetExceeded?: boolean;
  /** The wall-clock budget ended the run (budgetExceeded is set too). */
  timeExceeded?: boolean;
  /** The sandbox refused the code before running it (async, eval, import, names starting with "__" …). */
  refused?: boolean;
}

export interface CandidateInput {
  javascript: string;
  policyType: 'Validating' | 'Mutating';
  /** Source of helper function declarations, evaluated before the candidate in the same scope. */
  helpers?: string;
  /** Step ticks (function calls + loop iterations of candidate code) before the run is stopped. */
  stepBudget?: number;
  /**
   * Milliseconds one run may take, read from `clock` at every tick: steps that are slow one by one
   * (a costly regular expression per iteration, a large sort) end at it. Without a clock only the
   * steps bound a run: the sandbox has no time of its own, the caller's platform has.
   */
  timeBudgetMs?: number;
  clock?: () => number;
}

export interface CompiledCandidate {
  /** false when the candidate cannot run at all (syntax error, refused construct): run() answers the error. */
  readonly ok: boolean;
  readonly error?: string;
  run(request: AdmissionRequest, objects?: readonly KubeObject[]): CandidateResult;
}

export const DEFAULT_STEP_BUDGET = 100_000;
/** A run's wall-clock bound when a clock is given: 100 000 ordinary steps take a few ms. */
export const DEFAULT_TIME_BUDGET_MS = 250;

/** Globals of a compartment that jsPolicy does not have or that would evaluate unrewritten code. */
const REMOVED_GLOBALS = ['eval', 'Function', 'Compartment', 'lockdown', 'harden', 'assert'];

/** Loads ses and locks the realm down (once per realm). `source` defaults to the bundled ses. */
export function prepareSandbox(source: string = sesSource): SesPowers {
  return prepareSes(source);
}

function errorResult(message: string, extra: Partial<CandidateResult> = {}): CandidateResult {
  return { verdict: 'error', message, code: 500, warnings: [], logs: [], steps: 0, ...extra };
}

let helperCache: { source: string; names: RewriteNames; code: string } | undefined;

function wrapperSource(names: RewriteNames, helpers: string, candidate: string): string {
  // The inner function is called with no `this` and no arguments: top-level `this` is undefined and
  // `arguments` is empty. Each part ends on its own line so a trailing line comment cannot swallow code.
  return `(function (${names.halt}, ${names.step}, ${names.halting}) { 'use strict'; return function () {\n${helpers}\n;\n${candidate}\n}; })`;
}

export function compileCandidate(input: CandidateInput): CompiledCandidate {
  const budget = input.stepBudget ?? DEFAULT_STEP_BUDGET;
  const { clock } = input;
  const timeBudget = input.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const deadline = clock ? () => ({ now: clock, at: clock() + timeBudget, ms: timeBudget }) : () => undefined;
  const helpersSource = input.helpers ?? '';
  // One set of names per helper library, reused while the library does not change (the rewrite is the cost).
  let names: RewriteNames;
  let helpersCode = '';
  if (helpersSource.trim() !== '') {
    if (helperCache?.source === helpersSource) {
      names = helperCache.names;
      helpersCode = helperCache.code;
    } else {
      names = freshNames();
      const h = rewriteScript(helpersSource, names, 'helpers');
      if (!h.ok) return failed(h.error, h.refused);
      helpersCode = h.code;
      helperCache = { source: helpersSource, names, code: helpersCode };
    }
  } else names = freshNames();

  const c = rewriteScript(input.javascript, names, 'policy');
  if (!c.ok) return failed(c.error, c.refused);
  const source = wrapperSource(names, helpersCode, c.code);
  return {
    ok: true,
    run: (request, objects) => runCompiled(source, budget, deadline(), input.policyType, request, objects),
  };
}

function failed(error: string, refused: boolean): CompiledCandidate {
  return { ok: false, error, run: () => errorResult(error, refused ? { refused: true } : {}) };
}

export function runCandidate(input: CandidateInput & { request: AdmissionRequest; objects?: KubeObject[] }): CandidateResult {
  return compileCandidate(input).run(input.request, input.objects);
}

type Outer = (halt: object, step: () => void, halting: () => boolean) => () => unknown;

const NOTHING = {};

function runCompiled(
  source: string,
  budget: number,
  deadline: RunState['deadline'],
  policyType: 'Validating' | 'Mutating',
  request: AdmissionRequest,
  objects: readonly KubeObject[] | undefined,
): CandidateResult {
  const powers = prepareSandbox();
  const state = newRunState(budget, deadline);
  const halt = powers.harden({});
  const requestText = JSON.stringify(request ?? null);
  const endowments = makeEndowments({
    state,
    halt,
    powers,
    request: JSON.parse(requestText),
    objects: readableObjects(objects),
  });
  const compartment = new powers.Compartment({ globals: endowments, __options__: true, name: 'gptpolicy-candidate' });
  for (const name of REMOVED_GLOBALS) delete compartment.globalThis[name];

  let thrown: unknown = NOTHING;
  let scriptError: string | undefined;
  try {
    const outer = compartment.evaluate(source) as Outer;
    const step = powers.harden(makeStep(state, halt));
    const halting = powers.harden((): boolean => state.halted || state.closed);
    outer(halt, step, halting)();
  } catch (err) {
    thrown = err;
  }
  // Still live: turning a thrown value into text may run candidate code (toString, getters), which the
  // budget counts and a halt inside it stops.
  if (thrown !== NOTHING && thrown !== halt && !state.halted) {
    try {
      scriptError = thrownText(thrown);
    } catch (err) {
      scriptError = err === halt ? undefined : 'Uncaught exception (its value cannot be printed)';
    }
  }
  state.closed = true;
  if (thrown === halt && !state.halted) scriptError = 'Uncaught exception (the sandbox halt was thrown without a verdict)';
  return verdictOf(state, scriptError, policyType, requestText);
}

function verdictOf(state: RunState, scriptError: string | undefined, policyType: 'Validating' | 'Mutating', requestText: string): CandidateResult {
  const base = { logs: state.logs, steps: Math.min(state.steps, state.budget) };
  if (state.timeExceeded) {
    return { verdict: 'error', message: `time budget exceeded: the policy ran longer than ${state.deadline?.ms ?? 0} ms (${state.steps} steps)`, code: 500, budgetExceeded: true, timeExceeded: true, warnings: [], ...base };
  }
  if (state.budgetExceeded) {
    return { verdict: 'error', message: `step budget exceeded: the policy ran more than ${state.budget} steps (function calls and loop iterations)`, code: 500, budgetExceeded: true, warnings: [], ...base };
  }
  // jsPolicy: a script error fails the request (500, warnings dropped) before __response is read.
  if (scriptError !== undefined) return { verdict: 'error', message: scriptError, code: 500, warnings: [], ...base };
  if (state.responseError !== undefined) return { verdict: 'error', message: state.responseError, code: 500, warnings: [], ...base };
  const typeError = responseTypeError(state.response);
  if (typeError !== undefined) return { verdict: 'error', message: typeError, code: 500, warnings: [], ...base };

  const r = state.response;
  const warnings = Array.isArray(r.warnings) ? r.warnings.map((w) => (typeof w === 'string' ? w : '')) : [];
  if (r.deny === true) {
    const code = typeof r.code === 'number' && r.code > 0 ? r.code : 403;
    const reason = typeof r.reason === 'string' && r.reason !== '' ? r.reason : 'Forbidden';
    return { verdict: 'deny', message: typeof r.message === 'string' ? r.message : '', reason, code, warnings, ...base };
  }
  const patched = r.patched;
  if (policyType === 'Mutating' && patched !== undefined && patched !== null) {
    const original = (JSON.parse(requestText) as { object?: unknown } | null)?.object ?? null;
    // jsPolicy patches from the original object to this one; an empty diff is no patch at all.
    if (JSON.stringify(sortKeys(original)) !== JSON.stringify(sortKeys(patched))) {
      return { verdict: 'mutate', patched, warnings, ...base };
    }
  }
  return { verdict: 'allow', warnings, ...base };
}
