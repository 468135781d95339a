// jsPolicy's stable line (v0.2.x up to v0.3.0-beta.5) embeds V8 9.6 (v8go v0.7.0). A node:vm context
// has the built-ins of Node's V8 (11.3 in Node 20, newer later); these are the ones V8 9.6 does not
// have, with the V8 version that shipped them. Entries absent from the running Node are skipped, so
// the list also covers newer Node versions. Syntax (RegExp /v, `using`) cannot be taken away.

const TYPED_ARRAY = 'Object.getPrototypeOf(Int8Array.prototype)';

/** [object expression evaluated in the context, property names] */
const NEWER_THAN_V8_9_6: Array<[string, string[]]> = [
  // 9.7 findLast; 11.0 change-array-by-copy
  ['Array.prototype', ['findLast', 'findLastIndex', 'toReversed', 'toSorted', 'toSpliced', 'with']],
  ['Array.prototype[Symbol.unscopables]', ['findLast', 'findLastIndex', 'toReversed', 'toSorted', 'toSpliced']],
  [TYPED_ARRAY, ['findLast', 'findLastIndex', 'toReversed', 'toSorted', 'with', 'toBase64', 'toHex', 'setFromBase64', 'setFromHex']],
  // 12.1 Array.fromAsync
  ['Array', ['fromAsync']],
  // 11.1 isWellFormed
  ['String.prototype', ['isWellFormed', 'toWellFormed']],
  // 11.1 resizable ArrayBuffer / growable SharedArrayBuffer; 11.4 transfer
  ['ArrayBuffer.prototype', ['maxByteLength', 'resizable', 'resize', 'transfer', 'transferToFixedLength', 'detached']],
  ['SharedArrayBuffer.prototype', ['maxByteLength', 'growable', 'grow']],
  // 11.2 RegExp v flag (the getter only; the flag itself still parses)
  ['RegExp.prototype', ['unicodeSets']],
  ['RegExp', ['escape']],
  // 11.7 array grouping; 12.x Promise.withResolvers, Set methods, Promise.try, Float16
  ['Object', ['groupBy']],
  ['Map', ['groupBy']],
  ['Promise', ['withResolvers', 'try']],
  ['Set.prototype', ['union', 'intersection', 'difference', 'symmetricDifference', 'isSubsetOf', 'isSupersetOf', 'isDisjointFrom']],
  ['Math', ['f16round', 'sumPrecise']],
  ['DataView.prototype', ['getFloat16', 'setFloat16']],
  ['Error', ['isError']],
  ['JSON', ['rawJSON', 'isRawJSON']],
  ['Atomics', ['pause']],
  ['Uint8Array', ['fromBase64', 'fromHex']],
  // 9.9 Intl.supportedValuesOf and Intl.Locale info; 10.6 Intl.NumberFormat v3 ranges
  ['Intl', ['supportedValuesOf', 'DurationFormat']],
  ['Intl.Locale.prototype', ['calendars', 'collations', 'hourCycles', 'numberingSystems', 'textInfo', 'timeZones', 'weekInfo',
    'getCalendars', 'getCollations', 'getHourCycles', 'getNumberingSystems', 'getTextInfo', 'getTimeZones', 'getWeekInfo']],
  ['Intl.NumberFormat.prototype', ['formatRange', 'formatRangeToParts']],
  ['Intl.PluralRules.prototype', ['selectRange']],
  // V8 installs these only for embedders with a wasm streaming callback; v8go has none.
  ['WebAssembly', ['compileStreaming', 'instantiateStreaming']],
  // 12.x iterator helpers, explicit resource management, Float16Array
  ['globalThis', ['Iterator', 'Float16Array', 'DisposableStack', 'AsyncDisposableStack', 'SuppressedError']],
  ['Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))',
    ['map', 'filter', 'take', 'drop', 'flatMap', 'reduce', 'toArray', 'forEach', 'some', 'every', 'find']],
  ['Symbol', ['dispose', 'asyncDispose']],
];

/** Source of a function that deletes the built-ins above, to be evaluated inside a fresh context. */
export const REMOVE_NEWER_BUILTINS = `(() => {
${NEWER_THAN_V8_9_6.map(([target, names]) => `  for (const name of ${JSON.stringify(names)}) delete (${target})[name];`).join('\n')}
})();`;
