// The policy language: an allow-listed subset of JavaScript. Model-written code (and through the
// description, an attacker's) is held to it in the `generated` profile; hand-written policies get the
// same findings as warnings. Everything not listed here is refused, so a construct V8 adds, or one
// nobody thought of, is refused too. The lists are checked against V8 9.6's own built-ins by
// test/lint/subset.test.ts.
import type { Finding, LintOptions, PolicyView, Severity } from './types.ts';
import { own, strictness } from './types.ts';
import type { Analysis, N, Ref } from './js.ts';
import { locOf, parseScript, walk } from './js.ts';
import { ALWAYS_PROTECTED_NAMESPACES } from '../policy/guardrails.ts';
import { ES_GLOBALS, JSPOLICY_GLOBALS } from './globals.ts';

/** Statement, expression and pattern node types (ESTree, as acorn names them) a policy may contain. */
export const SUBSET_SYNTAX: ReadonlySet<string> = new Set(
  (
    'Program ExpressionStatement BlockStatement EmptyStatement IfStatement ReturnStatement BreakStatement ContinueStatement ' +
    'SwitchStatement SwitchCase ThrowStatement TryStatement CatchClause ForStatement ForOfStatement ' +
    'VariableDeclaration VariableDeclarator FunctionDeclaration FunctionExpression ArrowFunctionExpression ' +
    'Identifier Literal TemplateLiteral TemplateElement ArrayExpression ObjectExpression Property SpreadElement ' +
    'RestElement ObjectPattern ArrayPattern AssignmentPattern UnaryExpression UpdateExpression BinaryExpression ' +
    'LogicalExpression ConditionalExpression CallExpression NewExpression MemberExpression ChainExpression ' +
    'AssignmentExpression SequenceExpression'
  ).split(' '),
);

/** Why each construct outside SUBSET_SYNTAX is not there, and what to write instead (for the hint). */
const SYNTAX_FIX: Readonly<Record<string, string>> = {
  ThisExpression: 'do not use `this`: pass values as function parameters',
  Super: 'do not use classes: write plain functions',
  ClassDeclaration: 'do not use classes: write plain functions over plain objects',
  ClassExpression: 'do not use classes: write plain functions over plain objects',
  LabeledStatement: 'remove the label: move the loop into a function and `return` from it',
  ForInStatement: 'use for (const key of Object.keys(obj)) — for…in also walks inherited keys',
  DebuggerStatement: 'remove the debugger statement',
  YieldExpression: 'do not use generators: build and return an array',
  AwaitExpression: 'do not use async/await: jsPolicy runs policies synchronously',
  TaggedTemplateExpression: 'use a plain template literal or string concatenation, without a tag function',
  MetaProperty: 'remove new.target / import.meta',
  ExportNamedDeclaration: 'remove the export: a policy exports nothing',
  ExportDefaultDeclaration: 'remove the export: a policy exports nothing',
  ExportAllDeclaration: 'remove the export: a policy exports nothing',
};

/** Global names a policy may use: jsPolicy's pure globals and the plain-data built-ins. */
export const SUBSET_GLOBALS: ReadonlySet<string> = new Set(
  (
    'request allow deny warn mutate get list print atob btoa ' +
    'undefined NaN Infinity Object Array String Number Boolean BigInt Math JSON Date Map Set Error TypeError RangeError ' +
    'parseInt parseFloat isNaN isFinite encodeURIComponent decodeURIComponent'
  ).split(' '),
);

/** Globals that are functions a policy may call (the rest are namespaces or constructors). */
const CALLABLE_GLOBALS: ReadonlySet<string> = new Set(
  (
    'allow deny warn mutate get list print atob btoa String Number Boolean BigInt Date Error TypeError RangeError ' +
    'parseInt parseFloat isNaN isFinite encodeURIComponent decodeURIComponent'
  ).split(' '),
);

/** Constructors `new` may build: none can be told a size (new Array(n) is refused). */
export const SUBSET_NEW: ReadonlySet<string> = new Set(['Date', 'Map', 'Set', 'Error', 'TypeError', 'RangeError']);

/**
 * Built-ins that may be passed as a callback to a method (arr.map(String), arr.filter(Boolean)): only
 * there, so no code ever holds a built-in object it could write to.
 */
const CALLBACK_GLOBALS: ReadonlySet<string> = new Set(['String', 'Number', 'Boolean']);

/**
 * Static members per global. Missing on purpose: Array.from/of (sizes), Object.defineProperty and
 * friends (getters, prototypes), Object.fromEntries (it makes keys like toJSON from data), String.raw.
 */
export const SUBSET_STATICS: Readonly<Record<string, readonly string[]>> = {
  Object: ['keys', 'values', 'entries', 'assign', 'freeze', 'isFrozen', 'hasOwn'],
  Array: ['isArray'],
  Number: ['isInteger', 'isFinite', 'isNaN', 'isSafeInteger', 'parseInt', 'parseFloat', 'MAX_SAFE_INTEGER', 'MIN_SAFE_INTEGER', 'EPSILON'],
  Math: ['abs', 'ceil', 'floor', 'round', 'trunc', 'max', 'min', 'pow', 'sign', 'sqrt', 'log', 'log2', 'log10', 'PI'],
  JSON: ['parse', 'stringify'],
  Date: ['now', 'parse', 'UTC'],
  BigInt: ['asIntN', 'asUintN'],
};

/**
 * Methods a policy may call on a value (strings, arrays, regular expressions, Map/Set, Date,
 * numbers). The receiver's type is unknown statically, so this is one list. It holds no method that
 * V8 9.6 cannot interrupt on the arrays a policy can make (lib/lint/unbounded-builtins.ts: fill,
 * copyWithin and Array.from are out; the rest only ever see real arrays of a bounded length, because
 * call/apply/bind, method borrowing, `length` writes, `new Array(n)` and indexes above MAX_INDEX are
 * refused). Over strings near V8's maximum length several of them (toLowerCase, replace, split, …)
 * hang: repeat only repeats literals and split needs a literal limit, but concatenation can still
 * double a string up to that size, which only a run-time bound can stop.
 */
export const SUBSET_METHODS: ReadonlySet<string> = new Set(
  (
    // String.prototype
    'charAt charCodeAt codePointAt endsWith startsWith includes indexOf lastIndexOf localeCompare match normalize padEnd padStart ' +
    'repeat replace replaceAll search slice split substring toLowerCase toUpperCase trim trimStart trimEnd at concat toString ' +
    // Array.prototype
    'every filter find findIndex flat flatMap forEach join keys values entries map pop push reduce reverse shift some sort splice unshift ' +
    // RegExp.prototype, Map/Set, Date, Number, BigInt
    'test exec get set has add delete clear getTime toISOString getFullYear getMonth getDate getDay getHours getMinutes getSeconds ' +
    'getUTCFullYear getUTCMonth getUTCDate getUTCDay getUTCHours getUTCMinutes getUTCSeconds toFixed'
  ).split(' '),
);

/** Names never read, written, called or used as a key: the ways to prototypes, code and callers. */
const REFUSED_NAMES: ReadonlySet<string> = new Set(
  '__proto__ constructor prototype __defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__ caller callee arguments call apply bind'.split(' '),
);

/** Keys a policy may not define or write: jsPolicy and JSON.stringify call them on its objects, outside the run's timeout. */
const HOOK_NAMES: ReadonlySet<string> = new Set(['toJSON', 'toString', 'toLocaleString', 'valueOf', 'then']);

/**
 * Array.prototype's methods are generic: on an object with a huge `length` some of them never
 * return (unbounded-builtins.ts). So they are only ever called on their receiver, never read as a
 * value that could be planted on such an object.
 */
const ARRAY_METHOD_NAMES: ReadonlySet<string> = new Set(
  (
    'at concat copyWithin entries every fill filter find findIndex flat flatMap forEach includes indexOf join keys lastIndexOf ' +
    'map pop push reduce reduceRight reverse shift slice some sort splice toLocaleString toString unshift values'
  ).split(' '),
);

/**
 * Every own property name of V8 9.6's built-in constructors and prototypes (generated on the engine;
 * test/lint/subset.test.ts keeps it complete). A call of one of these that SUBSET_METHODS lacks is
 * refused; other names are the policy's own data and functions.
 */
export const BUILTIN_MEMBER_NAMES: ReadonlySet<string> = new Set(
  (
    '$& $\' $+ $1 $2 $3 $4 $5 $6 $7 $8 $9 $_ $` BYTES_PER_ELEMENT Collator CompileError DateTimeFormat DisplayNames E EPSILON ' +
    'Exception Global Instance LN10 LN2 LOG10E LOG2E LinkError ListFormat Locale MAX_SAFE_INTEGER MAX_VALUE MIN_SAFE_INTEGER ' +
    'MIN_VALUE Memory Module NaN NEGATIVE_INFINITY NumberFormat PI POSITIVE_INFINITY PluralRules RelativeTimeFormat RuntimeError ' +
    'SQRT1_2 SQRT2 Segmenter Table Tag UTC __defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__ __proto__ abs acos ' +
    'acosh add all allSettled anchor and any apply arguments asIntN asUintN asin asinh assert assign asyncIterator at atan atan2 ' +
    'atanh big bind blink bold buffer byteLength byteOffset call caller captureStackTrace catch cbrt ceil charAt charCodeAt clear ' +
    'clz32 codePointAt compareExchange compile concat construct constructor context copyWithin cos cosh count countReset create ' +
    'debug defineProperties defineProperty delete deleteProperty deref description dir dirxml dotAll endsWith entries error every ' +
    'exchange exec exp expm1 fill filter finally find findIndex fixed flags flat flatMap floor fontcolor fontsize for forEach freeze ' +
    'from fromCharCode fromCodePoint fromEntries fround get getBigInt64 getBigUint64 getCanonicalLocales getDate getDay getFloat32 ' +
    'getFloat64 getFullYear getHours getInt16 getInt32 getInt8 getMilliseconds getMinutes getMonth getOwnPropertyDescriptor ' +
    'getOwnPropertyDescriptors getOwnPropertyNames getOwnPropertySymbols getPrototypeOf getSeconds getTime getTimezoneOffset ' +
    'getUTCDate getUTCDay getUTCFullYear getUTCHours getUTCMilliseconds getUTCMinutes getUTCMonth getUTCSeconds getUint16 ' +
    'getUint32 getUint8 getYear global group groupCollapsed groupEnd has hasIndices hasInstance hasOwn hasOwnProperty hypot ' +
    'ignoreCase imul includes indexOf info input instantiate is isArray isConcatSpreadable isExtensible isFinite isFrozen isInteger ' +
    'isLockFree isNaN isPrototypeOf isSafeInteger isSealed isView italics iterator join keyFor keys lastIndexOf lastMatch lastParen ' +
    'leftContext length link load localeCompare log log10 log1p log2 map match matchAll max message min multiline name next ' +
    'normalize notify now of or ownKeys padEnd padStart parse parseFloat parseInt pop pow preventExtensions profile profileEnd ' +
    'propertyIsEnumerable prototype push race random raw reduce reduceRight register reject repeat replace replaceAll resolve return ' +
    'reverse revocable rightContext round seal search set setBigInt64 setBigUint64 setDate setFloat32 setFloat64 setFullYear ' +
    'setHours setInt16 setInt32 setInt8 setMilliseconds setMinutes setMonth setPrototypeOf setSeconds setTime setUTCDate ' +
    'setUTCFullYear setUTCHours setUTCMilliseconds setUTCMinutes setUTCMonth setUTCSeconds setUint16 setUint32 setUint8 setYear ' +
    'shift sign sin sinh size slice small some sort source species splice split sqrt stackTraceLimit startsWith sticky store strike ' +
    'stringify sub subarray substr substring sup table tan tanh test then throw time timeEnd timeLog timeStamp toDateString ' +
    'toExponential toFixed toGMTString toISOString toJSON toLocaleDateString toLocaleLowerCase toLocaleString toLocaleTimeString ' +
    'toLocaleUpperCase toLowerCase toPrecision toPrimitive toString toStringTag toTimeString toUTCString toUpperCase trace trim ' +
    'trimEnd trimLeft trimRight trimStart trunc unicode unregister unscopables unshift validate valueOf values wait waitAsync warn xor'
  ).split(' '),
);

/** Everything V8 9.6 and jsPolicy put on the global object (the rest is undeclared-name's to report). */
const ENGINE_GLOBALS: ReadonlySet<string> = new Set([...ES_GLOBALS, ...JSPOLICY_GLOBALS]);

/** Refused by code.ts's own rules (forbidden-construct, forbidden-call, unbounded-loop), with their own hints. */
const OTHER_RULES_NAMES: ReadonlySet<string> = new Set('eval Function create update remove fetchSync env readFileSync requeue sleep'.split(' '));
const OTHER_RULES_SYNTAX: ReadonlySet<string> = new Set(
  'ImportDeclaration ImportExpression ImportSpecifier ImportDefaultSpecifier ImportNamespaceSpecifier WithStatement WhileStatement DoWhileStatement'.split(' '),
);
/** ES2023+ members V8 9.6 lacks: v8-builtin-missing names the replacement. */
const OTHER_RULES_MEMBERS: ReadonlySet<string> = new Set('findLast findLastIndex toSorted toReversed toSpliced with isWellFormed toWellFormed groupBy withResolvers fromAsync'.split(' '));

/** Size arguments that make memory from a small input: each must be a number literal at most this. */
const MAX_SIZE = 1000;
/** Largest literal array index (a write to a[1e9] would make a huge sparse array). */
const MAX_INDEX = 10000;

const SIZED: Readonly<Record<string, { arg: number; what: string }>> = {
  repeat: { arg: 0, what: 'count' },
  padStart: { arg: 0, what: 'target length' },
  padEnd: { arg: 0, what: 'target length' },
  split: { arg: 1, what: 'limit' },
};

const OWN_VALUE_HINT = 'read a property by a computed key with the library helper ownValue(obj, key), which returns obj\'s own value or undefined';

type CodeRule = (policy: PolicyView, a: Analysis, options: LintOptions) => Finding[];

function finding(node: N, rule: string, severity: Severity, message: string, hint: string): Finding {
  return { rule, severity, message, hint, ...locOf(node) };
}

function numberValue(n: N): number | undefined {
  if (n.type === 'Literal' && typeof n.value === 'number') return n.value;
  return undefined;
}

function stringValue(n: N | undefined): string | undefined {
  if (n && n.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n && n.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0].value.cooked as string;
  return undefined;
}

/** The property name of a member expression or object key, when it is static. */
function staticName(node: N, computed: boolean, key: N): string | undefined {
  if (!computed && key.type === 'Identifier') return key.name as string;
  if (!computed && key.type === 'PrivateIdentifier') return `#${key.name as string}`;
  if (computed || node.type === 'Property') return stringValue(key) ?? (numberValue(key) !== undefined ? String(numberValue(key)) : undefined);
  return undefined;
}

function unwrapChain(n: N): N {
  return n.type === 'ChainExpression' ? (n.expression as N) : n;
}

export const subsetRule: CodeRule = (_p, a, options) => {
  const severity = strictness(options);
  const helpers = new Set(options.helpers ?? []);
  const out: Finding[] = [];
  const report = (node: N, rule: string, message: string, hint: string): void => {
    out.push(finding(node, rule, severity, message, hint));
  };
  const refByNode = new Map<N, Ref>(a.refs.map((r) => [r.node, r]));
  const globalRef = (n: N): string | undefined => {
    const r = n.type === 'Identifier' ? refByNode.get(n) : undefined;
    return r && !r.declared ? r.name : undefined;
  };
  const parentOf = (n: N): N | undefined => {
    let p = a.parents.get(n);
    while (p && p.type === 'ChainExpression') p = a.parents.get(p);
    return p;
  };
  const isCallee = (n: N): boolean => {
    const p = parentOf(n);
    return !!p && (p.type === 'CallExpression' || p.type === 'NewExpression') && unwrapChain(p.callee as N) === n;
  };

  // A counted loop's index: `i` from `for (let i = <index>; …)` around the use, written only by its update.
  const isCounter = (id: N): boolean => {
    let p = a.parents.get(id);
    while (p) {
      if (p.type === 'ForStatement' && p.init?.type === 'VariableDeclaration' && p.init.kind === 'let') {
        const d = (p.init.declarations as N[]).find((x) => x.id.type === 'Identifier' && x.id.name === id.name);
        if (d) {
          const update = p.update as N | null;
          const written = a.refs.some(
            (r) => r.name === id.name && (r.mode === 'write' || r.mode === 'readwrite') && r.node.start >= p!.start && r.node.end <= p!.end && !(update && r.node.start >= update.start && r.node.end <= update.end),
          );
          return !written && !!d.init && isIndex(d.init, id.name);
        }
      }
      if (p.type.indexOf('Function') >= 0) return false;
      p = a.parents.get(p);
    }
    return false;
  };
  // Expressions that can only be an array index: small integer literals, counters, .length, and sums of them.
  function isIndex(n: N, except?: string): boolean {
    const v = numberValue(n);
    if (v !== undefined) return Number.isInteger(v) && v >= 0 && v <= MAX_INDEX;
    if (n.type === 'Identifier') return n.name !== except && isCounter(n);
    if (n.type === 'MemberExpression' && !n.computed && n.property.name === 'length') return true;
    if (n.type === 'BinaryExpression' && (n.operator === '+' || n.operator === '-')) return isIndex(n.left as N, except) && isIndex(n.right as N, except);
    return false;
  }

  // The name's own problems, wherever it is used as a key.
  const nameProblem = (name: string, node: N, what: string): boolean => {
    if (REFUSED_NAMES.has(name) || name.startsWith('__')) {
      report(node, 'subset-member', `${what} \`${name}\` reaches prototypes, constructors or callers.`, `Do not use the key \`${name}\`: work on the data's own fields only (for a key from data, ${OWN_VALUE_HINT}).`);
      return true;
    }
    return false;
  };

  const checkMember = (m: N): void => {
    const name = staticName(m, m.computed, m.property);
    const receiver = globalRef(m.object);
    if (name === undefined) {
      if (!isIndex(m.property)) {
        report(m, 'subset-member', 'Computed member access with a key that is neither a literal nor a loop index.', `Use obj.name or obj['literal'] for fixed keys, arr[i] for a counted loop's index; to ${OWN_VALUE_HINT}.`);
      }
      return;
    }
    if (m.computed && numberValue(m.property) !== undefined && !isIndex(m.property)) {
      report(m, 'subset-member', `Index ${name} is not an integer from 0 to ${MAX_INDEX}.`, `Use an index from 0 to ${MAX_INDEX}.`);
      return;
    }
    if (OTHER_RULES_MEMBERS.has(name) || nameProblem(name, m, 'Member')) return;
    if (receiver !== undefined && SUBSET_GLOBALS.has(receiver) && receiver !== 'request') {
      const statics = own(SUBSET_STATICS, receiver) ?? [];
      if (statics.indexOf(name) < 0) {
        report(m, 'subset-member', `${receiver}.${name} is not part of the policy language.`, statics.length > 0 ? `Of ${receiver}, use only ${statics.join(', ')}.` : `Do not use members of ${receiver}; call ${receiver}(…) directly if it is a function.`);
      }
      return;
    }
    if (!BUILTIN_MEMBER_NAMES.has(name)) return;
    if (isCallee(m)) {
      if (!SUBSET_METHODS.has(name)) {
        report(m, 'subset-member', `.${name}() is not one of the built-in methods policies may call.`, `Do not call .${name}(); use only plain string/array methods (slice, indexOf, includes, split, map, filter, some, every, find, join, push, …).`);
      }
    } else if (ARRAY_METHOD_NAMES.has(name) && !m.computed) {
      report(m, 'subset-member', `.${name} read as a value: array methods may only be called (x.${name}(…)).`, `Call it directly as x.${name}(…); if \`${name}\` is a field of the data, read it with ownValue(x, '${name}').`);
    } else if (ARRAY_METHOD_NAMES.has(name)) {
      report(m, 'subset-member', `['${name}'] reads an array method as a value.`, `Read the field with ownValue(x, '${name}').`);
    }
  };

  const checkCall = (call: N): void => {
    const callee = unwrapChain(call.callee as N);
    const args = call.arguments as N[];
    const g = globalRef(callee);
    if (call.type === 'NewExpression') {
      if (g !== undefined && OTHER_RULES_NAMES.has(g)) return;
      if (g === undefined || !SUBSET_NEW.has(g)) {
        report(call, 'subset-new', `new ${g ?? 'of a non-built-in'} is not part of the policy language.`, `Use plain objects and functions; \`new\` only builds ${[...SUBSET_NEW].join(', ')}.`);
      }
      return;
    }
    if (g === 'get' || g === 'list') checkLookup(call, g, args);
    if (callee.type === 'MemberExpression') {
      const name = staticName(callee, callee.computed, callee.property);
      const sized = name !== undefined && globalRef(callee.object) === undefined ? own(SIZED, name) : undefined;
      if (name === 'assign' && globalRef(callee.object) === 'Object' && args[0]?.type !== 'ObjectExpression') {
        report(call, 'subset-call', 'Object.assign may only copy into a new object literal.', 'Write Object.assign({}, source, …) and use the result.');
      }
      if (name === 'repeat' && stringValue(unwrapChain(callee.object as N)) === undefined) {
        report(call, 'subset-call', '.repeat() on a string that is not a literal.', "Repeat only string literals: '-'.repeat(20).");
      }
      if (sized) {
        const v = args[sized.arg] ? numberValue(args[sized.arg] as N) : undefined;
        if (v === undefined || v < 0 || v > MAX_SIZE) {
          report(call, 'subset-call', `.${name}() needs its ${sized.what} as a number literal from 0 to ${MAX_SIZE}.`, name === 'split' ? `Give split a literal limit: s.split(',', ${MAX_SIZE}).` : `Give .${name}() a number literal from 0 to ${MAX_SIZE}.`);
        }
      }
      if (name === 'match' && !(args[0]?.type === 'Literal' && args[0].regex && String(args[0].regex.flags).indexOf('g') < 0)) {
        report(call, 'subset-call', '.match() needs a regular expression literal without the g flag.', 'Write s.match(/…/) (no g flag); to find every match, loop with a counted for over a bounded input.');
      }
    }
  };

  const checkLookup = (call: N, fn: string, args: N[]): void => {
    const kind = stringValue(args[0]);
    if (kind === undefined) {
      report(call, 'subset-lookup', `${fn}() with a kind that is not a string literal.`, `Write the kind as a string literal: ${fn}('ConfigMap', 'v1', …).`);
    } else if (/^secret(list)?$/i.test(kind)) {
      report(call, 'subset-lookup', `${fn}('${kind}', …) reads Secrets.`, 'Never read Secrets: decide from the request and non-secret objects.');
    }
    const nsOf = (s: string | undefined): string | undefined => (s !== undefined && s.indexOf('/') > 0 ? s.slice(0, s.indexOf('/')) : undefined);
    const options = fn === 'list' ? args[2] : args[3];
    const nsNode = options?.type === 'ObjectExpression' ? (options.properties as N[]).find((p) => p.type === 'Property' && staticName(p, p.computed, p.key) === 'namespace') : undefined;
    const namespaces = [fn === 'get' ? nsOf(stringValue(args[2])) : undefined, nsNode ? stringValue(nsNode.value) : undefined];
    for (const ns of namespaces) {
      if (ns !== undefined && ALWAYS_PROTECTED_NAMESPACES.indexOf(ns) >= 0) {
        report(call, 'subset-lookup', `${fn}() reads the protected namespace ${ns}.`, `Do not look into ${ALWAYS_PROTECTED_NAMESPACES.join(', ')}.`);
      }
    }
  };

  // An assignment target (or delete / ++ operand) must be plain data the policy owns.
  const checkWrite = (target: N, what: string): void => {
    const t = unwrapChain(target);
    if (t.type === 'Identifier') {
      const r = refByNode.get(t);
      if (r && !r.declared && ENGINE_GLOBALS.has(r.name)) report(t, 'subset-write', `${what} the global \`${t.name}\`.`, `Declare a local variable (const/let) instead of writing \`${t.name}\`.`);
      return;
    }
    if (t.type === 'ObjectPattern' || t.type === 'ArrayPattern' || t.type === 'AssignmentPattern' || t.type === 'RestElement') {
      walkPattern(t, (leaf) => checkWrite(leaf, what));
      return;
    }
    if (t.type !== 'MemberExpression') return;
    let root: N = t;
    while (root.type === 'MemberExpression') root = unwrapChain(root.object as N);
    const g = globalRef(root);
    if (g !== undefined && g !== 'request') {
      report(t, 'subset-write', `${what} a member of the global \`${g}\`.`, 'Write only to request.object (or a copy of it) and to objects the policy made itself.');
      return;
    }
    const name = staticName(t, t.computed, t.property);
    if (name !== undefined && (name === 'length' || HOOK_NAMES.has(name))) {
      report(t, 'subset-write', `${what} \`${name}\`.`, name === 'length' ? 'Do not set length: use push/pop/splice or slice.' : `Do not define \`${name}\`: jsPolicy serializes the response outside the run's timeout and would call it.`);
    }
  };

  function walkPattern(p: N, leaf: (n: N) => void): void {
    if (p.type === 'ObjectPattern') for (const prop of p.properties as N[]) walkPattern(prop.type === 'RestElement' ? prop : (prop.value as N), leaf);
    else if (p.type === 'ArrayPattern') for (const el of p.elements as Array<N | null>) el && walkPattern(el, leaf);
    else if (p.type === 'AssignmentPattern') walkPattern(p.left as N, leaf);
    else if (p.type === 'RestElement') walkPattern(p.argument as N, leaf);
    else leaf(p);
  }

  walk(a.program, (n) => {
    if (!SUBSET_SYNTAX.has(n.type) && !OTHER_RULES_SYNTAX.has(n.type)) {
      const fix = own(SYNTAX_FIX, n.type) ?? 'rewrite it with plain functions, objects, arrays and for…of loops';
      report(n, 'subset-syntax', `${n.type} is not part of the policy language.`, `${fix[0]?.toUpperCase()}${fix.slice(1)}.`);
      return;
    }
    switch (n.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (n.async || n.generator) report(n, 'subset-syntax', `${n.async ? 'async' : 'generator'} functions are not part of the policy language.`, 'Write a plain synchronous function that returns its result.');
        break;
      case 'BreakStatement':
      case 'ContinueStatement':
        if (n.label) report(n, 'subset-syntax', 'Labelled break/continue is not part of the policy language.', 'Move the loop into a function and `return` from it.');
        break;
      case 'Property':
        if (n.kind !== 'init') report(n, 'subset-syntax', `A ${n.kind}ter is not part of the policy language.`, 'Store a plain value in the field instead of a getter or setter.');
        else if (n.computed && staticName(n, true, n.key) === undefined) report(n, 'subset-syntax', 'A computed key in an object literal.', "Write literal keys; build objects with dynamic keys with Object.assign({}, …) or a Map.");
        else {
          const key = staticName(n, n.computed, n.key);
          if (key !== undefined && !nameProblem(key, n, 'Key') && HOOK_NAMES.has(key) && a.parents.get(n)?.type === 'ObjectExpression') {
            report(n, 'subset-syntax', `An object literal defines \`${key}\`.`, `Do not define \`${key}\`: jsPolicy serializes the response outside the run's timeout and would call it.`);
          }
        }
        break;
      case 'Identifier': {
        const r = refByNode.get(n);
        if (!r) break;
        if (r.name === 'arguments' || r.name.startsWith('__')) {
          report(n, 'subset-global', `\`${r.name}\` is not part of the policy language.`, r.name === 'arguments' ? 'Name the parameters (or use ...rest).' : 'Names starting with __ are jsPolicy internals: choose another name.');
          break;
        }
        if (r.declared || (r.mode === 'typeof' && a.parents.get(n)?.operator === 'typeof')) break;
        const p = parentOf(n);
        // `new G()` is checkCall's.
        if (p?.type === 'NewExpression' && isCallee(n)) break;
        if (!SUBSET_GLOBALS.has(r.name) && !helpers.has(r.name)) {
          // Names the engine lacks are undeclared-name's; eval/Function and the host's powers have rules of their own.
          if (!ENGINE_GLOBALS.has(r.name) || OTHER_RULES_NAMES.has(r.name)) break;
          report(n, 'subset-global', `The global \`${r.name}\` is not part of the policy language.`, `Use only request, allow, deny, warn, mutate, get, list, print, atob, btoa, the library helpers and the built-ins ${[...SUBSET_GLOBALS].slice(10).join(', ')}.`);
          break;
        }
        if (helpers.has(r.name) || r.name === 'request' || r.name === 'undefined' || r.name === 'NaN' || r.name === 'Infinity') break;
        if (isCallee(n)) {
          if (!CALLABLE_GLOBALS.has(r.name)) report(n, 'subset-global', `${r.name}(…) is not part of the policy language.`, r.name === 'Array' ? 'Write an array literal [] and push to it.' : `Do not call ${r.name}; use its allowed members (${(own(SUBSET_STATICS, r.name) ?? []).join(', ') || 'none'}).`);
          break;
        }
        const asObject = p?.type === 'MemberExpression' && unwrapChain(p.object as N) === n;
        const asCallback = CALLBACK_GLOBALS.has(r.name) && p?.type === 'CallExpression' && unwrapChain(p.callee as N).type === 'MemberExpression' && (p.arguments as N[]).indexOf(n) >= 0;
        if (!asObject && !asCallback) {
          report(n, 'subset-global', `\`${r.name}\` is used as a value.`, `Call ${r.name} (or its allowed members) directly; never store or pass it${CALLBACK_GLOBALS.has(r.name) ? ` (except as a callback: arr.map(${r.name}))` : ''}.`);
        }
        break;
      }
      case 'MemberExpression':
        checkMember(n);
        break;
      case 'CallExpression':
      case 'NewExpression':
        checkCall(n);
        break;
      case 'AssignmentExpression':
        checkWrite(n.left as N, 'Assignment to');
        break;
      case 'UpdateExpression':
        checkWrite(n.argument as N, 'Update of');
        break;
      case 'ForOfStatement':
        if (n.await) report(n, 'subset-syntax', 'for await is not part of the policy language.', 'Use a plain for…of.');
        if (n.left.type !== 'VariableDeclaration') checkWrite(n.left as N, 'Loop assignment to');
        break;
      case 'UnaryExpression':
        if (n.operator === 'delete') {
          if (unwrapChain(n.argument as N).type !== 'MemberExpression') report(n, 'subset-write', 'delete of a name.', 'Delete only fields of objects: delete obj.field.');
          else checkWrite(n.argument as N, 'delete of');
        }
        break;
    }
  });
  return out;
};

/**
 * The policy language's findings for code on its own (a skill's code, a proposed helper), as errors;
 * `names` are the library helpers it may call. Code that does not parse is one finding.
 */
export function subsetProblems(code: string, names: readonly string[]): Finding[] {
  const parsed = parseScript(code);
  if (!parsed.ok) return [{ rule: 'js-syntax', severity: 'error', line: parsed.error.line, column: parsed.error.column, message: parsed.error.message, hint: 'Fix the syntax.' }];
  return subsetRule({} as PolicyView, parsed.analysis, { profile: 'generated', resources: [], helpers: [...names] });
}
