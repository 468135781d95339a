// Names a policy script may use without declaring them.

/** ECMAScript globals V8 9.6 provides (ES2021 + what V8 9.6 ships of ES2022), plus its console/WebAssembly. */
export const ES_GLOBALS: ReadonlySet<string> = new Set(
  (
    'Object Function Array Number Boolean String Symbol BigInt Date RegExp JSON Math Intl Promise Proxy Reflect ' +
    'Error AggregateError EvalError RangeError ReferenceError SyntaxError TypeError URIError ' +
    'Map Set WeakMap WeakSet WeakRef FinalizationRegistry ' +
    'ArrayBuffer SharedArrayBuffer DataView Atomics Int8Array Uint8Array Uint8ClampedArray Int16Array Uint16Array ' +
    'Int32Array Uint32Array Float32Array Float64Array BigInt64Array BigUint64Array ' +
    'globalThis parseInt parseFloat isNaN isFinite encodeURIComponent decodeURIComponent encodeURI decodeURI ' +
    'escape unescape NaN Infinity undefined eval console WebAssembly'
  ).split(' '),
);

/** Globals jsPolicy defines in every run (pkg/vm/vm.go, pkg/webhook/handler.go). */
export const JSPOLICY_GLOBALS: ReadonlySet<string> = new Set(
  (
    'request __policy exports __response allow exit deny mutate requeue warn print sleep env readFileSync ' +
    'atob btoa get list create update remove fetchSync ' +
    '__get __list __create __update __remove __exit __fetchSync __throw'
  ).split(' '),
);

/** Host APIs people expect from Node or browsers that jsPolicy's V8 does not have, with what to do instead. */
export const MISSING_HOST_APIS: Readonly<Record<string, string>> = {
  setTimeout: 'jsPolicy has no timers or event loop: do the work synchronously.',
  setInterval: 'jsPolicy has no timers or event loop: do the work synchronously.',
  setImmediate: 'jsPolicy has no timers or event loop: do the work synchronously.',
  clearTimeout: 'jsPolicy has no timers: remove the call.',
  clearInterval: 'jsPolicy has no timers: remove the call.',
  clearImmediate: 'jsPolicy has no timers: remove the call.',
  queueMicrotask: 'jsPolicy has no queueMicrotask: call the function directly.',
  fetch: 'jsPolicy has no fetch(); its only HTTP client is the synchronous fetchSync(url, {method, headers, body}) (not allowed in generated admission policies).',
  require: 'jsPolicy has no require(): use only JavaScript built-ins and the jsPolicy globals (request, allow, deny, warn, mutate, get, list, print).',
  module: 'jsPolicy defines no `module`: assign to exports.<name> if you must export, otherwise drop it.',
  process: 'jsPolicy has no process object: use env("NAME") for environment variables, request.* for the request.',
  Buffer: 'jsPolicy has no Buffer: use atob()/btoa() (UTF-8 base64) or plain string operations.',
  TextEncoder: 'jsPolicy has no TextEncoder: work on strings directly.',
  TextDecoder: 'jsPolicy has no TextDecoder: work on strings directly (atob() already returns UTF-8 text).',
  URL: 'jsPolicy has no URL class: parse the string with split() or a RegExp.',
  URLSearchParams: 'jsPolicy has no URLSearchParams: parse the string with split() or a RegExp.',
  structuredClone: 'jsPolicy has no structuredClone: use JSON.parse(JSON.stringify(value)).',
  crypto: 'jsPolicy has no crypto object: avoid randomness/hashing, or implement it in plain JavaScript.',
  global: 'jsPolicy has no `global`: use globalThis.',
  window: 'jsPolicy is not a browser: there is no window; use globalThis.',
  self: 'jsPolicy is not a browser: there is no self; use globalThis.',
  document: 'jsPolicy is not a browser: there is no document.',
  navigator: 'jsPolicy is not a browser: there is no navigator.',
  performance: 'jsPolicy has no performance object: use Date.now().',
  __dirname: 'jsPolicy runs no files: there is no __dirname.',
  __filename: 'jsPolicy runs no files: there is no __filename.',
  XMLHttpRequest: 'jsPolicy has no XMLHttpRequest: fetchSync() is its only HTTP client.',
};
