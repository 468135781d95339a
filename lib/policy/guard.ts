// The guard every generated policy is emitted in: the candidate's code runs in a wrapper that fails
// open on code errors and keeps jsPolicy's typed decoding of __response from failing.
//
// Why (jsPolicy facts, /work/shared/research/jspolicy-runtime.md §1.5, §1.6, §3, §4):
// - An uncaught exception makes jsPolicy answer allowed:false / code 500, which REJECTS the request even
//   with failurePolicy Ignore (the webhook did answer).
// - After the script, jsPolicy JSON-decodes __response into a typed Go struct: a non-string deny
//   message/reason/warning/requeue message, a non-integer code or a non-object patch fail the request
//   with a 500 as well.
// - allow/deny/mutate/exit/requeue halt V8 with TerminateExecution: neither `catch` nor `finally` runs
//   afterwards, so wrapping the candidate in try/catch cannot change a verdict it reaches.
//
// The emitted script, expanded (the real text is the same code, minified by hand: see head() and TAIL):
//
//   /*gptpolicy:guard v1*/
//   <CONFINE_PROLOGUE: takes writes, HTTP, env, files and Secrets away from the run (confine.ts)>
//   (function (D, W, M, A, X, S, E, T, P, C) {
//     // D W M A X: jsPolicy's deny, warn, mutate, allow, exit as the prepare script defined
//     // them, captured before the candidate runs. S E T P: String, Error, JSON.stringify, JSON.parse,
//     // captured too, so a candidate that reassigns those globals cannot break the coercion.
//     // C: the candidate. It is NOT written inside this function, so none of these names is in its
//     // scope: it can neither call the originals with raw values nor overwrite them.
//     function s(x) { return x == null ? x : S(x instanceof E ? x.message : x); }
//         // → a string (an Error → its message); null/undefined kept (JSON null/absent → Go "").
//     try {
//       C(
//         function (m, r, c) {                       // deny: strings, and an integer code in 400..599
//           D(s(m), s(r), typeof c == "number" && c % 1 == 0 && c > 399 && c < 600 ? c : void 0);
//         },                                         //   (else undefined = jsPolicy's default 403)
//         function (m) { W(s(m)); },                 // warn: a string
//         function (o) { o = T(o); o && o[0] == "{" ? M(P(o)) : A(); },
//             // mutate: the JSON round trip jsPolicy would do anyway; anything that is not a JSON object
//             // (string, array, null, undefined, a function …) → allow() without a patch (fail open).
//             // BigInt/cycles make T throw → handled like any other thrown error.
//         A,                                         // requeue = allow: in a webhook policy requeue only ends
//                                                    //   the run (jsPolicy ignores reschedule there), and
//                                                    //   its message could not fail decoding this way
//         A, X                                       // allow, exit: the originals, unchanged
//       );
//     } catch (e) {
//       // reportErrors: true  (violationPolicy Dry/Warn): a marked denial, which jsPolicy logs to the
//       //   policy's JsPolicyViolations and Dry/Warn let through anyway:
//       try { e = S(e); } catch (_) { e = "unprintable thrown value"; }
//       D("gptpolicy: policy error: " + e, "PolicyError", 500);
//       // reportErrors: false (enforcing): that part is left out, and the error is swallowed.
//       A();                                         // fail open (also stops pending Promise jobs)
//     }
//   })(deny, warn, mutate, allow, exit, String, Error, JSON.stringify, JSON.parse,
//      function (deny, warn, mutate, requeue, allow, exit) { var __response;
//   /*gptpolicy:candidate:begin*/
//   <the candidate's code, verbatim>
//   /*gptpolicy:candidate:end*/
//   });
//
// Properties of the candidate's function:
// - The parameters shadow jsPolicy's globals with the coercing versions (allow/exit with the
//   originals), so the candidate calls them by their usual names, and `deny = …`, `var deny`,
//   `function deny(){}` or `exit = …` change only its own bindings, never what the guard or the
//   prepare script's deny/allow/mutate (which call the global `exit`) use.
// - `var __response;` shadows the real __response: `__response = 7` changes a local, and
//   `__response.deny = 5` throws a TypeError (the local is undefined), which the guard handles as a code
//   error (allow, or a report): the candidate meant a verdict it did not reach.
// - Being a statement, `var __response;` also keeps a leading 'use strict' of the candidate from
//   becoming a directive: the candidate stays sloppy, as jsPolicy runs the bundle after
//   `var __policy…; var request…;`.
// - It is called plainly (`this` is the global object in sloppy mode, as at the top level); `request`,
//   `exports`, `print`, `get`, `list`, … are the globals.
// - Differences from running the candidate at the top level, all harmless: top-level `var`/function
//   declarations are local to the function; a top-level `return` ends the candidate (= allow);
//   `arguments` is the guard's argument list; a top-level `let request` is accepted.
//   `let deny`/`const warn`/`let __response` are SyntaxErrors here, as they are at jsPolicy's top level
//   (the prepare script declared them with var).
//
// What the guard cannot do (the caller's checks must):
// - Syntax errors fail the whole script (500). Parse the candidate on its own first; a candidate that
//   parses as a Script parses identically as this function body, so it cannot close the function
//   early and run code outside the guard.
// - A timeout (an endless loop) is TerminateExecution as well: uncatchable.
// - `globalThis.deny(…)` / `globalThis.__response` / `this.__response` reach jsPolicy's originals.
// - Guarded policies are for webhooks (Validating/Mutating): requeue() is mapped to allow().
// - Lint the candidate (unwrapGuard), not the guarded script: the guard declares deny/warn/mutate/…
//   itself, and names the global `mutate` (the linter's mutate-outside-mutating rule would flag that
//   in a Validating policy).
// - import/export (webpack would make the code an ES module) is a SyntaxError inside a function.
//
// Only ES5 syntax is emitted (V8 9.6 and webpack's parser accept it), and no Node/DOM API is used here.

import { CONFINE_PROLOGUE } from './confine.ts';

/** `reason` of the denial a guarded policy answers when its code throws while reporting errors. */
export const POLICY_ERROR_REASON = 'PolicyError';
/** Prefix of that denial's message; the thrown value, as String(value), follows it. */
export const POLICY_ERROR_MESSAGE_PREFIX = 'gptpolicy: policy error: ';
/** `code` of that denial. */
export const POLICY_ERROR_CODE = 500;

/** The first thing in every guarded script (unwrapGuard recognises a guard by it, whatever its version). */
export const GUARD_TAG = '/*gptpolicy:guard';
export const CANDIDATE_BEGIN = '/*gptpolicy:candidate:begin*/';
export const CANDIDATE_END = '/*gptpolicy:candidate:end*/';

export interface GuardOptions {
  /** true while the policy is in violationPolicy Dry or Warn: a thrown error becomes a marked denial. */
  reportErrors: boolean;
}

const REPORT =
  'try{e=S(e)}catch(_){e="unprintable thrown value"}' +
  `D(${JSON.stringify(POLICY_ERROR_MESSAGE_PREFIX)}+e,${JSON.stringify(POLICY_ERROR_REASON)},${POLICY_ERROR_CODE});`;

function head(reportErrors: boolean): string {
  return (
    `${GUARD_TAG} v1*/\n` +
    CONFINE_PROLOGUE +
    '(function(D,W,M,A,X,S,E,T,P,C){' +
    'function s(x){return x==null?x:S(x instanceof E?x.message:x)}' +
    'try{C(' +
    'function(m,r,c){D(s(m),s(r),typeof c=="number"&&c%1==0&&c>399&&c<600?c:void 0)},' +
    'function(m){W(s(m))},' +
    'function(o){o=T(o);o&&o[0]=="{"?M(P(o)):A()},' +
    'A,A,X)}' +
    `catch(e){${reportErrors ? REPORT : ''}A()}` +
    '})(deny,warn,mutate,allow,exit,String,Error,JSON.stringify,JSON.parse,' +
    'function(deny,warn,mutate,requeue,allow,exit){var __response;\n' +
    `${CANDIDATE_BEGIN}\n`
  );
}

// The newline before the end marker closes a trailing `// comment` of the candidate.
const TAIL = `\n${CANDIDATE_END}\n});\n`;

/** The candidate's code inside the fail-open, type-coercing guard (deterministic: same input, same text). */
export function wrapWithGuard(javascript: string, options: GuardOptions): string {
  return head(options.reportErrors) + javascript + TAIL;
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
