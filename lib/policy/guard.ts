// The guard every generated policy is emitted in: the candidate's code runs in a wrapper that fails
// open on code errors, keeps jsPolicy's typed decoding of __response from failing, runs the
// candidate as the controller's sandbox ran it (strict, built-ins frozen), and keeps its verdict
// and patch within bounds nothing of the candidate can move.
//
// Why (jsPolicy facts, /work/shared/research/jspolicy-runtime.md §1.5, §1.6, §3, §4; jspolicy-audit-2.md §6.2):
// - An uncaught exception makes jsPolicy answer allowed:false / code 500, which REJECTS the request even
//   with failurePolicy Ignore (the webhook did answer).
// - After the script, jsPolicy JSON-decodes __response into a typed Go struct: a non-string deny
//   message/reason/warning/requeue message, a non-integer code or a non-object patch fail the request
//   with a 500 as well. It serializes __response outside the run's timeout: a toJSON or getter the
//   candidate left there would run unbounded.
// - allow/deny/mutate/exit/requeue halt V8 with TerminateExecution: neither `catch` nor `finally` runs
//   afterwards, so wrapping the candidate in try/catch cannot change a verdict it reaches. But Promise
//   jobs queued before the halt still run after it, before jsPolicy reads __response.
// - The sandbox (lib/sandbox) runs candidates strict, in a ses compartment with frozen intrinsics: a
//   candidate that passed its tests there must meet the same language here.
//
// The emitted script, expanded (the real text is the same code, minified by hand: see head() and TAIL):
//
//   /*gptpolicy:guard v2*/
//   <confinePrologue: takes writes, HTTP, env, files and Secrets away, confines reads (confine.ts)>
//   (function (g, C) {
//     var S = String, E = Error, T = JSON.stringify, P = JSON.parse, N = g.__exit, print = g.print, …;
//         // captured before the candidate runs; N: jsPolicy's native halt (its `exit` reads the
//         // global __exit at call time, which the candidate could redefine: natives are configurable)
//     var r = {}, w = [], f = 0;      // the verdict and warnings, private; f: a verdict was reached
//     var B = T(request.object), V = <mutationCheckSource(mutable)>;     // Mutating policies only
//     function h() { f = 1; N(); for (;;); }   // halt: allow, exit, requeue, and the end of every path
//     function s(x) { … }            // → a string (an Error → its message), at most 1024 characters;
//                                    //   null/undefined kept (JSON null/absent → Go "")
//     function d(m, q, c) { m = s(m); q = s(q); if (!f) r = {deny, m, q, c if an integer in 400..599}; h(); }
//     function u(m) { m = s(m); if (!f && w.length < 10) w.push(m); }                 // warn
//     function z(o) { o = T(o);                                                       // mutate
//       if (!f && o is a JSON object text) { v = V(P(B), P(o)); v ? print(refused: v) : r.p = o }
//       h(); }                      // Validating: z = h (jsPolicy ignores a patch there anyway)
//     try {
//       __response := a null-prototype object of enumerable getters over r and w, no setters,
//         not extensible, in a non-writable global: jsPolicy's serialization reads the guard's
//         state, and nothing else can write to it or hang a toJSON on it;
//       globals deny, warn, mutate, requeue, allow, exit := d, u, z, h, h, h (non-writable);
//       delete __exit, Promise, WebAssembly, Atomics, SharedArrayBuffer, FinalizationRegistry, WeakRef,
//         Intl, RegExp's legacy statics ($1 … $9, lastMatch, input, …);
//       Error.prepareStackTrace := an accessor that reads undefined and ignores writes;
//       Object.prototype's and the Error prototypes' constructor/toString/valueOf/… :=
//         accessors whose setter makes an own property (assigning `e.name`, `o.toString` keeps working
//         on frozen prototypes, as ses's override taming does in the sandbox);
//       freeze the constructors and prototypes a policy reaches (FROZEN, %TypedArray%,
//         %IteratorPrototype%, %ArrayIteratorPrototype%); Error too, but for stackTraceLimit
//         (V8 reads it as a data property; the sandbox lets writes to it pass);
//       C(d, u, z, h, h, h);
//     } catch (e) {
//       // reportErrors: true  (violationPolicy Dry/Warn): a marked denial, which jsPolicy logs to the
//       //   policy's JsPolicyViolations and Dry/Warn let through anyway:
//       try { e = S(e); } catch (_) { e = "unprintable thrown value"; }
//       d("gptpolicy: policy error: " + e, "PolicyError", 500);
//       // reportErrors: false (enforcing): that part is left out, and the error is swallowed.
//     }
//     h();                           // fail open; and no Promise job can change the verdict afterwards
//   })(globalThis,
//      function (deny, warn, mutate, requeue, allow, exit) { "use strict"; var __response;
//   /*gptpolicy:candidate:begin*/
//   <the candidate's code, verbatim>
//   /*gptpolicy:candidate:end*/
//   });
//
// Properties of the candidate's function:
// - It is strict, as the sandbox runs it: `this` is undefined, assigning an undeclared name throws,
//   `arguments.callee` throws, writes to frozen built-ins throw. The "use strict" is the function's
//   own directive, so the guard around it and webpack's module code stay as jsPolicy makes them.
//   Code that parses sloppy but not strict (octal literals, `with`) fails the whole script: it never
//   passed the sandbox either.
// - The parameters shadow jsPolicy's globals, so `deny = …`, `var deny` or `function deny(){}`
//   change only the candidate's own bindings; the globals it reaches through globalThis are the
//   guard's functions too.
// - `var __response;` shadows the global: `__response = 7` changes a local, and `__response.deny = 5`
//   throws a TypeError (the local is undefined), which the guard handles as a code error (allow, or
//   a report): the candidate meant a verdict it did not reach. `globalThis.__response` is the
//   read-only view.
// - The first verdict wins, and stays: d/u/z do nothing once f is set, so a Promise job (the
//   candidate can still make promises with async functions, which the linter refuses) may run after
//   the halt but cannot change the answer; an endless job is a timeout, like an endless loop.
// - Differences from running the candidate at the top level, all harmless: top-level `var`/function
//   declarations are local to the function; a top-level `return` ends the candidate (= allow);
//   `arguments` is the guard's argument list; a top-level `let request` is accepted.
//   `let deny`/`const warn`/`let __response` are SyntaxErrors here, as they are at jsPolicy's top level
//   (the prepare script declared them with var).
//
// What the guard cannot do (the caller's checks must):
// - Syntax errors fail the whole script (500). Parse the candidate on its own first (strict); a
//   candidate that parses as a strict Script parses identically as this function body, so it cannot
//   close the function early and run code outside the guard.
// - A timeout (an endless loop) is TerminateExecution as well: uncatchable.
// - Work inside one built-in call (a catastrophic regular expression) is bounded only by the timeout.
// - Guarded policies are for webhooks (Validating/Mutating): requeue() is mapped to allow().
// - Lint the candidate (unwrapGuard), not the guarded script: the guard declares deny/warn/mutate/…
//   itself, and names the global `mutate` (the linter's mutate-outside-mutating rule would flag that
//   in a Validating policy).
// - import/export (webpack would make the code an ES module) is a SyntaxError inside a function.
//
// Cost per admission on V8 9.6: see `npm run bench` (bench/admission.ts), "guard" rows.
// Only ES5 syntax is emitted (V8 9.6 and webpack's parser accept it), and no Node/DOM API is used here.

import { MUTABLE_FIELDS_ANNOTATION, READABLE_KINDS_ANNOTATION } from '../gptpolicy/api.ts';
import type { JsPolicy } from '../k8s/types.ts';
import { confinePrologue, readScopeOf, type ReadScope } from './confine.ts';
import { mutationCheckSource } from './mutation-bounds.ts';

/** `reason` of the denial a guarded policy answers when its code throws while reporting errors. */
export const POLICY_ERROR_REASON = 'PolicyError';
/** Prefix of that denial's message; the thrown value, as String(value), follows it. */
export const POLICY_ERROR_MESSAGE_PREFIX = 'gptpolicy: policy error: ';
/** `code` of that denial. */
export const POLICY_ERROR_CODE = 500;
/** The longest deny message, reason or warning a guarded policy answers (longer ones are cut). */
export const MAX_MESSAGE_LENGTH = 1024;
/** The most warnings a guarded policy answers (later ones are dropped). */
export const MAX_WARNINGS = 10;
/** Prefix of the print() line of a patch the guard refused (the first violation follows it). */
export const PATCH_REFUSED_PREFIX = 'gptpolicy: patch refused, allowed without it: ';

/** The first thing in every guarded script (unwrapGuard recognises a guard by it, whatever its version). */
export const GUARD_TAG = '/*gptpolicy:guard';
export const CANDIDATE_BEGIN = '/*gptpolicy:candidate:begin*/';
export const CANDIDATE_END = '/*gptpolicy:candidate:end*/';

export interface GuardOptions {
  /** true while the policy is in violationPolicy Dry or Warn: a thrown error becomes a marked denial. */
  reportErrors: boolean;
  /** What get/list may answer (confine.ts readScopeOf). */
  scope: ReadScope;
  /** A Mutating policy: the paths its patches may change (mutation-bounds.ts). Absent: mutate() allows. */
  mutable?: readonly string[];
}

const REPORT =
  'try{e=S(e)}catch(_){e="unprintable thrown value"}' +
  `d(${JSON.stringify(POLICY_ERROR_MESSAGE_PREFIX)}+e,${JSON.stringify(POLICY_ERROR_REASON)},${POLICY_ERROR_CODE});`;

/** Constructors whose function and prototype are frozen (Error is frozen apart, Promise before it goes). */
const FROZEN =
  'Object Function Array String Number Boolean Symbol BigInt Math JSON Reflect Date RegExp Map Set WeakMap WeakSet Promise Proxy ' +
  'ArrayBuffer DataView Int8Array Uint8Array Uint8ClampedArray Int16Array Uint16Array Int32Array Uint32Array Float32Array Float64Array ' +
  'BigInt64Array BigUint64Array EvalError RangeError ReferenceError SyntaxError TypeError URIError AggregateError';
const ERRORS = 'Error EvalError RangeError ReferenceError SyntaxError TypeError URIError AggregateError';
const REMOVED = '__exit Promise WebAssembly Atomics SharedArrayBuffer FinalizationRegistry WeakRef Intl';
const REGEXP_STATICS = ['$1', '$2', '$3', '$4', '$5', '$6', '$7', '$8', '$9', 'input', '$_', 'lastMatch', '$&', 'lastParen', '$+', 'leftContext', '$`', 'rightContext', "$'"];

function head(options: GuardOptions): string {
  const mutating = options.mutable !== undefined;
  return (
    `${GUARD_TAG} v2*/\n` +
    confinePrologue(options.scope) +
    '(function(g,C){' +
    'var O=Object,S=String,E=Error,Te=TypeError,T=JSON.stringify,P=JSON.parse,Dp=O.defineProperty,H=O.prototype.hasOwnProperty,' +
    'N=g.__exit,Pr=g.print,r={},w=[],f=0' +
    (mutating ? `,B=T(g.request.object),V=${mutationCheckSource(options.mutable ?? [])}` : '') +
    ';' +
    'function h(){f=1;N();for(;;);}' +
    `function s(x){x=x==null?x:S(x instanceof E?x.message:x);return x!=null&&x.length>${MAX_MESSAGE_LENGTH}?x.slice(0,${MAX_MESSAGE_LENGTH}):x}` +
    'function d(m,q,c){m=s(m);q=s(q);if(!f){r.d=true;r.m=m;r.r=q;r.c=typeof c=="number"&&c%1==0&&c>399&&c<600?c:void 0}h()}' +
    `function u(m){m=s(m);if(!f&&w.length<${MAX_WARNINGS})w[w.length]=m}` +
    (mutating
      ? `function z(o){o=T(o);if(!f&&o&&o[0]=="{"){var v=V(P(B),P(o));if(v)Pr(${JSON.stringify(PATCH_REFUSED_PREFIX)}+v);else r.p=o}h()}`
      : 'function z(){h()}') +
    'function each(l,fn){l.split(" ").forEach(fn)}' +
    // Writes to a frozen prototype's property through an object that inherits it make an own property.
    'function ov(p,n){if(!H.call(p,n))return;var v=p[n];Dp(p,n,{get:function(){return v},set:function(x){' +
    'if(this===p)throw new Te("Cannot assign to read only property \'"+n+"\' of object");Dp(this,n,{value:x,writable:true,enumerable:true,configurable:true})}})}' +
    'var R=O.create(null);' +
    'function a(k,v){Dp(R,k,{get:v,enumerable:true})}' +
    'try{' +
    'a("deny",function(){return r.d});a("message",function(){return r.m});a("reason",function(){return r.r});a("code",function(){return r.c});' +
    'a("patched",function(){if(r.p!==void 0)return P(r.p)});' +
    'a("warnings",function(){if(w.length){for(var i=0,c=[];i<w.length;i++)c[i]=w[i];return c}});' +
    'O.preventExtensions(R);Dp(g,"__response",{value:R,writable:false});' +
    'var F=[d,u,z,h,h,h];each("deny warn mutate requeue allow exit",function(n,i){Dp(g,n,{value:F[i],writable:false})});' +
    `each(${JSON.stringify(REGEXP_STATICS.join(' '))},function(n){delete RegExp[n]});` +
    'Dp(E,"prepareStackTrace",{get:function(){},set:function(){}});' +
    'each("constructor toString valueOf toLocaleString hasOwnProperty",function(n){ov(O.prototype,n)});' +
    `each(${JSON.stringify(ERRORS)},function(c){c=g[c].prototype;each("constructor name message toString",function(n){ov(c,n)})});` +
    `each(${JSON.stringify(FROZEN)},function(n){var c=g[n];O.freeze(c);if(c.prototype)O.freeze(c.prototype)});` +
    'O.freeze(E.prototype);O.getOwnPropertyNames(E).forEach(function(n){if(n!=="stackTraceLimit"){var x=O.getOwnPropertyDescriptor(E,n);x.configurable=false;if("value"in x)x.writable=false;Dp(E,n,x)}});O.preventExtensions(E);' +
    'var t=O.getPrototypeOf(Int8Array),i=O.getPrototypeOf([][Symbol.iterator]());O.freeze(t);O.freeze(t.prototype);O.freeze(i);O.freeze(O.getPrototypeOf(i));' +
    `each(${JSON.stringify(REMOVED)},function(n){delete g[n]});` +
    'C(d,u,z,h,h,h)}' +
    `catch(e){${options.reportErrors ? REPORT : ''}}` +
    'h()' +
    '})(globalThis,' +
    'function(deny,warn,mutate,requeue,allow,exit){"use strict";var __response;\n' +
    `${CANDIDATE_BEGIN}\n`
  );
}

// The newline before the end marker closes a trailing `// comment` of the candidate.
const TAIL = `\n${CANDIDATE_END}\n});\n`;

/**
 * The guard options of a generated policy: reads within its namespaceSelector and the kinds its
 * description named, patches within the fields it named (build-jspolicy.ts wrote both on it).
 */
export function guardOptionsFor(policy: JsPolicy, reportErrors: boolean): GuardOptions {
  const annotations = policy.metadata.annotations ?? {};
  const list = (key: string): string[] => (annotations[key] ?? '').split(',').filter((s) => s !== '');
  return {
    reportErrors,
    scope: readScopeOf(policy.spec.namespaceSelector, list(READABLE_KINDS_ANNOTATION)),
    ...(policy.spec.type === 'Mutating' ? { mutable: list(MUTABLE_FIELDS_ANNOTATION) } : {}),
  };
}

/** The candidate's code inside the fail-open, type-coercing guard (deterministic: same input, same text). */
export function wrapWithGuard(javascript: string, options: GuardOptions): string {
  return head(options) + javascript + TAIL;
}

/**
 * The candidate's code of a script wrapWithGuard produced (any guard version with the same markers),
 * or undefined when `wrapped` is not a guarded script. Exact: unwrapGuard(wrapWithGuard(js, o)) === js,
 * even when js itself contains the marker comments.
 */
export function unwrapGuard(wrapped: string): string | undefined {
  if (!wrapped.startsWith(GUARD_TAG) || !wrapped.endsWith(TAIL)) return undefined;
  const begin = wrapped.indexOf(`\n${CANDIDATE_BEGIN}\n`);
  const start = begin + CANDIDATE_BEGIN.length + 2;
  const end = wrapped.length - TAIL.length;
  if (begin < 0 || start > end) return undefined;
  return wrapped.slice(start, end);
}

/** Whether the guard would report errors in this script (undefined: not a guarded script). */
export function guardReportsErrors(wrapped: string): boolean | undefined {
  if (unwrapGuard(wrapped) === undefined) return undefined;
  return wrapped.slice(0, wrapped.indexOf(`\n${CANDIDATE_BEGIN}\n`)).includes(POLICY_ERROR_MESSAGE_PREFIX);
}

/** The fields of a JsPolicyViolations entry (or an admission answer) the marker is read from. */
export interface ViolationLike {
  code?: number;
  reason?: string;
  message?: string;
}

/**
 * Whether a JsPolicyViolations entry is the guard's report of a code error rather than a denial the
 * candidate decided (entry messages are cut to 256 characters; the prefix survives that).
 */
export function isPolicyErrorReport(entry: ViolationLike): boolean {
  return entry.reason === POLICY_ERROR_REASON && entry.code === POLICY_ERROR_CODE && (entry.message ?? '').startsWith(POLICY_ERROR_MESSAGE_PREFIX);
}

/** The thrown value's text of such a report (e.g. "TypeError: Cannot read properties of null …"), else undefined. */
export function policyErrorOf(entry: ViolationLike): string | undefined {
  return isPolicyErrorReport(entry) ? (entry.message ?? '').slice(POLICY_ERROR_MESSAGE_PREFIX.length) : undefined;
}
