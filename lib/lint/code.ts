// Rules on spec.javascript. Each rule is a small function over the parsed script (js.ts).
import type { Finding, LintOptions, PolicyView, Severity } from './types.ts';
import { expandOperations, own, strictness } from './types.ts';
import type { Analysis, N, Ref } from './js.ts';
import { locOf, memberPath, parseScript, readingsDiffer, walk } from './js.ts';
import { ES_GLOBALS, JSPOLICY_GLOBALS, MISSING_HOST_APIS } from './globals.ts';
import { clockRule } from './clock.ts';
import { subsetRule } from './subset.ts';
import { regexRedos } from './regex.ts';

type CodeRule = (policy: PolicyView, a: Analysis, options: LintOptions) => Finding[];

function at(node: N, f: Omit<Finding, 'line' | 'column'>): Finding {
  return { ...f, ...locOf(node) };
}

const policyType = (p: PolicyView): string => p.type || 'Validating';
const isAdmission = (p: PolicyView): boolean => policyType(p) === 'Validating' || policyType(p) === 'Mutating';

// ---------------------------------------------------------------------------------------------
// v8-builtin-missing: ES2023+ built-ins that V8 9.6 (jsPolicy ≤ 0.3.0-beta.5) does not have.

const MISSING_METHODS: Record<string, string> = {
  findLast: 'use [...arr].reverse().find(fn) or a for…of loop that keeps the last match',
  findLastIndex: 'loop backwards with a counted for loop, or compute arr.length - 1 - [...arr].reverse().findIndex(fn)',
  toSorted: 'use [...arr].sort(compare)',
  toReversed: 'use [...arr].reverse()',
  toSpliced: 'copy first: const copy = [...arr]; copy.splice(start, count, ...items)',
  with: 'copy first: const copy = [...arr]; copy[index] = value',
  isWellFormed: 'drop the check (strings from the API server are well-formed)',
  toWellFormed: 'drop the call (strings from the API server are well-formed)',
};
const MISSING_STATICS: Record<string, string> = {
  'Object.groupBy': 'group with arr.reduce((acc, x) => { (acc[key(x)] ??= []).push(x); return acc; }, {})',
  'Map.groupBy': 'group into a new Map() with a for…of loop',
  'Promise.withResolvers': 'use new Promise((resolve, reject) => …) (and note jsPolicy has no event loop)',
  'Array.fromAsync': 'jsPolicy has no async iteration sources: use Array.from()',
};

function calleeMember(call: N): N | undefined {
  let callee = call.callee as N;
  if (callee.type === 'ChainExpression') callee = callee.expression as N;
  return callee.type === 'MemberExpression' ? callee : undefined;
}

function keyName(prop: N): string | undefined {
  if (!prop.computed && prop.key.type === 'Identifier') return prop.key.name as string;
  if (prop.key.type === 'Literal' && typeof prop.key.value === 'string') return prop.key.value;
  return undefined;
}

function propertyName(member: N): string | undefined {
  if (!member.computed && member.property.type === 'Identifier') return member.property.name as string;
  if (member.computed && member.property.type === 'Literal' && typeof member.property.value === 'string') return member.property.value;
  return undefined;
}

const v8BuiltinMissing: CodeRule = (_p, a) => {
  const out: Finding[] = [];
  const shadowed = new Set(a.refs.filter((r) => r.declared).map((r) => r.node));
  walk(a.program, (n) => {
    if (n.type !== 'CallExpression') return;
    const member = calleeMember(n);
    if (!member) return;
    const name = propertyName(member);
    if (!name) return;
    const path = memberPath(member);
    const staticFix = path ? own(MISSING_STATICS, path) : undefined;
    if (path && staticFix !== undefined && member.object.type === 'Identifier' && !shadowed.has(member.object)) {
      out.push(
        at(n, {
          rule: 'v8-builtin-missing',
          severity: 'error',
          message: `${path}() does not exist in jsPolicy's V8 9.6 (TypeError at run time).`,
          hint: `${path} is not available in jsPolicy's V8 9.6: ${staticFix}.`,
        }),
      );
      return;
    }
    const fix = own(MISSING_METHODS, name);
    if (fix === undefined) return;
    if (name === 'with') {
      // Only Array.prototype.with(index, value): two arguments, the first not an object/function.
      const args = n.arguments as N[];
      if (args.length !== 2) return;
      const first = args[0] as N;
      if (first.type === 'ObjectExpression' || first.type.indexOf('Function') >= 0 || first.type === 'SpreadElement') return;
    }
    out.push(
      at(n, {
        rule: 'v8-builtin-missing',
        severity: 'error',
        message: `.${name}() is an ES2023+ built-in that jsPolicy's V8 9.6 does not have (TypeError at run time).`,
        hint: `Do not call .${name}(): ${fix}.`,
      }),
    );
  });
  return out;
};

// ---------------------------------------------------------------------------------------------
// undeclared-name

const KNOWN_NAMES = (): string[] => [...JSPOLICY_GLOBALS].filter((n) => !n.startsWith('__')).concat([...ES_GLOBALS]);

function similarName(name: string, extra: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  return KNOWN_NAMES()
    .concat(extra)
    .find((k) => k.toLowerCase() === lower);
}

const undeclaredName: CodeRule = (_p, a, options) => {
  const helpers = options.helpers ?? [];
  const byName = new Map<string, Ref[]>();
  for (const r of a.refs) {
    if (r.declared || r.mode === 'typeof') continue;
    if (ES_GLOBALS.has(r.name) || JSPOLICY_GLOBALS.has(r.name) || helpers.indexOf(r.name) >= 0) continue;
    if (r.name === 'arguments' && r.scope.hasArguments) continue;
    const list = byName.get(r.name) ?? [];
    list.push(r);
    byName.set(r.name, list);
  }
  const out: Finding[] = [];
  byName.forEach((refs, name) => {
    const write = refs.find((r) => r.mode === 'write');
    const host = own(MISSING_HOST_APIS, name);
    if (write) {
      // Sloppy-mode assignment creates a global (later reads then work); strict code throws.
      const severity: Severity = options.profile === 'generated' || a.strict ? 'error' : 'warning';
      out.push(
        at(write.node, {
          rule: 'undeclared-name',
          severity,
          message: a.strict
            ? `Assignment to undeclared \`${name}\` throws a ReferenceError (the script is strict-mode code).`
            : `Assignment to undeclared \`${name}\` creates an implicit global (a ReferenceError in strict mode).`,
          hint: `Declare it: write \`let ${name} = …\` (or const) at its first assignment.`,
        }),
      );
      return;
    }
    const first = refs[0] as Ref;
    const similar = similarName(name, helpers);
    const count = refs.length > 1 ? ` (${refs.length} places)` : '';
    out.push(
      at(first.node, {
        rule: 'undeclared-name',
        severity: 'error',
        message: `\`${name}\` is used but never declared${count}: ReferenceError at run time.`,
        hint:
          host !== undefined
            ? `\`${name}\` does not exist in jsPolicy. ${host}`
            : similar !== undefined
              ? `\`${name}\` is not defined; did you mean \`${similar}\`? Names are case-sensitive.`
              : `\`${name}\` is not defined anywhere: declare it (const/let) before use, or use a jsPolicy global (request, allow, deny, warn, mutate, get, list, print).`,
      }),
    );
  });
  return out;
};

// ---------------------------------------------------------------------------------------------
// forbidden-construct: eval, Function, import, with

const forbiddenConstruct: CodeRule = (_p, a, options) => {
  const out: Finding[] = [];
  const sev = strictness(options);
  for (const name of ['eval', 'Function']) {
    const r = a.globalRefs(name).find((x) => x.mode !== 'typeof');
    if (r) {
      out.push(
        at(r.node, {
          rule: 'forbidden-construct',
          severity: sev,
          message: `${name === 'eval' ? 'eval' : 'Function (new Function / Function())'} compiles code from strings at run time.`,
          hint: `Remove ${name}: write the logic directly in the policy; never build code from request data.`,
        }),
      );
    }
  }
  walk(a.program, (n) => {
    if (n.type === 'ImportDeclaration' || n.type === 'ImportExpression') {
      out.push(
        at(n, {
          rule: 'forbidden-construct',
          severity: sev,
          message:
            n.type === 'ImportDeclaration'
              ? `import from '${String(n.source.value)}' makes jsPolicy run npm install + webpack for this policy (and needs spec.dependencies).`
              : 'Dynamic import() cannot load anything inside jsPolicy (no module loader at run time).',
          hint: 'Remove the import: use only JavaScript built-ins and jsPolicy globals; write the needed helper inline.',
        }),
      );
    } else if (n.type === 'WithStatement') {
      out.push(
        at(n, {
          rule: 'forbidden-construct',
          severity: sev,
          message: '`with` makes name resolution dynamic (and is a SyntaxError in strict code).',
          hint: 'Remove the with statement and write obj.field explicitly.',
        }),
      );
    }
  });
  return out;
};

// ---------------------------------------------------------------------------------------------
// unbounded-loop

const LOOP_HINT =
  'Iterate over data instead: for (const x of list) …, arr.forEach/map/filter/some, or a counted for (let i = 0; i < arr.length; i++) with a bound of at most 10000.';

function isConstantTrue(test: N | null | undefined): boolean {
  if (!test) return true; // for (;;)
  if (test.type === 'Literal') return Boolean(test.value);
  if (test.type === 'UnaryExpression' && test.operator === '!') {
    const arg = test.argument as N;
    if (arg.type === 'Literal') return !arg.value;
    if (arg.type === 'UnaryExpression' && arg.operator === '!') return isConstantTrue(arg.argument as N);
  }
  return false;
}

function numberLiteral(n: N): number | undefined {
  if (n.type === 'Literal' && typeof n.value === 'number') return n.value;
  if (n.type === 'UnaryExpression' && n.operator === '-' && n.argument.type === 'Literal' && typeof n.argument.value === 'number') {
    return -n.argument.value;
  }
  return undefined;
}

function isLengthOf(n: N): boolean {
  const e = n.type === 'ChainExpression' ? (n.expression as N) : n;
  return e.type === 'MemberExpression' && propertyName(e) === 'length';
}

/** Why a for(;;) is not the allowed counted shape, or undefined when it is. */
function countedForProblem(node: N, a: Analysis): string | undefined {
  const init = node.init as N | null;
  if (!init || init.type !== 'VariableDeclaration' || init.declarations.length !== 1) return 'no `let i = …` initialiser';
  const decl = init.declarations[0] as N;
  if (decl.id.type !== 'Identifier' || !decl.init) return 'no `let i = …` initialiser';
  const i = decl.id.name as string;
  const test = node.test as N | null;
  if (!test || test.type !== 'BinaryExpression') return 'no `i < bound` test';
  let op = test.operator as string;
  let bound: N;
  if (test.left.type === 'Identifier' && test.left.name === i) bound = test.right;
  else if (test.right.type === 'Identifier' && test.right.name === i) {
    bound = test.left;
    op = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op] ?? op;
  } else return `the test does not compare ${i}`;
  if (['<', '<=', '>', '>='].indexOf(op) < 0) return `the test must use <, <=, > or >=`;
  const lit = numberLiteral(bound);
  if (lit !== undefined) {
    if (Math.abs(lit) > 10000) return `the bound ${lit} is above 10000`;
  } else if (!isLengthOf(bound)) return 'the bound is neither a number literal nor .length';
  const up = op === '<' || op === '<=';
  const update = node.update as N | null;
  let step: 'up' | 'down' | undefined;
  if (update && update.type === 'UpdateExpression' && update.argument.type === 'Identifier' && update.argument.name === i) {
    step = update.operator === '++' ? 'up' : 'down';
  } else if (update && update.type === 'AssignmentExpression' && update.left.type === 'Identifier' && update.left.name === i) {
    const amount = numberLiteral(update.right as N);
    if (amount !== undefined && amount > 0 && update.operator === '+=') step = 'up';
    if (amount !== undefined && amount > 0 && update.operator === '-=') step = 'down';
  }
  if (!step) return `the update must be ${i}++, ${i}--, ${i} += n or ${i} -= n`;
  if ((step === 'up') !== up) return `${i} moves away from its bound`;
  const body = node.body as N;
  const reassigned = a.refs.some(
    (r) => r.name === i && r.mode !== 'read' && r.mode !== 'typeof' && r.node.start >= body.start && r.node.end <= body.end,
  );
  if (reassigned) return `${i} is modified inside the loop body`;
  return undefined;
}

const unboundedLoop: CodeRule = (_p, a, options) => {
  const out: Finding[] = [];
  walk(a.program, (n) => {
    if (n.type !== 'WhileStatement' && n.type !== 'DoWhileStatement' && n.type !== 'ForStatement') return;
    if (options.profile === 'jspolicy') {
      if (isConstantTrue(n.test)) {
        out.push(
          at(n, {
            rule: 'unbounded-loop',
            severity: 'warning',
            message: 'Loop with a constant-true condition: it runs until timeoutSeconds and the request fails.',
            hint: LOOP_HINT,
          }),
        );
      }
      return;
    }
    if (n.type === 'ForStatement') {
      const problem = countedForProblem(n, a);
      if (problem === undefined) return;
      out.push(
        at(n, {
          rule: 'unbounded-loop',
          severity: 'error',
          message: `for loop is not a plainly bounded counted loop (${problem}).`,
          hint: LOOP_HINT,
        }),
      );
      return;
    }
    out.push(
      at(n, {
        rule: 'unbounded-loop',
        severity: 'error',
        message: `${n.type === 'WhileStatement' ? 'while' : 'do…while'} loops are not allowed: their termination cannot be checked.`,
        hint: LOOP_HINT,
      }),
    );
  });
  return out;
};

// ---------------------------------------------------------------------------------------------
// forbidden-call: host functions with side effects or secrets, in admission policies

const HOST_CALLS: Record<string, string> = {
  create: 'writes to the cluster from an admission webhook (runs for dry-run requests too, and for requests later rejected)',
  update: 'writes to the cluster from an admission webhook (runs for dry-run requests too, and for requests later rejected)',
  remove: 'deletes from the cluster inside an admission webhook (runs for dry-run requests too)',
  fetchSync: 'makes a network call with no timeout inside the admission request',
  env: "reads jsPolicy's own container environment",
  readFileSync: "reads files of jsPolicy's own container (e.g. its service-account token)",
  requeue: 'only means something in Controller policies; in a webhook it just ends the run (allowing)',
  sleep: "blocks one of jsPolicy's 4 shared VMs while the API request waits",
};

const forbiddenCall: CodeRule = (p, a, options) => {
  if (!isAdmission(p)) return [];
  const out: Finding[] = [];
  for (const name of Object.keys(HOST_CALLS)) {
    const r = a.globalRefs(name).find((x) => x.mode === 'read');
    if (!r) continue;
    out.push(
      at(r.node, {
        rule: 'forbidden-call',
        severity: strictness(options),
        message: `${name}() in a ${policyType(p)} policy ${HOST_CALLS[name]}.`,
        hint: `Remove the ${name}() call: a ${policyType(p)} policy must decide only from request (and get/list lookups) and end with allow()/deny()${
          policyType(p) === 'Mutating' ? '/mutate()' : ''
        }.`,
      }),
    );
  }
  return out;
};

// ---------------------------------------------------------------------------------------------
// mutating-without-mutate / mutate-outside-mutating

const mutateUse: CodeRule = (p, a, options) => {
  const calls = a.globalRefs('mutate').filter((r) => r.mode === 'read');
  if (policyType(p) === 'Mutating' && calls.length === 0) {
    return [
      {
        rule: 'mutating-without-mutate',
        severity: strictness(options),
        path: 'spec.javascript',
        message: 'A Mutating policy that never calls mutate() changes nothing.',
        hint: 'Change request.object (or a copy) and finish with mutate(changedObject) passing the WHOLE object; or make the policy Validating.',
      },
    ];
  }
  if (policyType(p) !== 'Mutating' && calls.length > 0) {
    return [
      at((calls[0] as Ref).node, {
        rule: 'mutate-outside-mutating',
        severity: strictness(options),
        message: `mutate() in a ${policyType(p)} policy changes nothing: it only ends the run (allowing the request).`,
        hint: 'Set spec.type: Mutating if the policy must change objects; otherwise use allow()/deny().',
      }),
    ];
  }
  return [];
};

const EXIT_CALLS = ['allow', 'exit', 'deny', 'mutate', 'requeue'];

/** A statement that ends the run or the function: return/throw/allow()/deny()/… (or a block containing one). */
function exits(st: N): boolean {
  if (st.type === 'ReturnStatement' || st.type === 'ThrowStatement') return true;
  if (st.type === 'ExpressionStatement' && st.expression.type === 'CallExpression') {
    const callee = st.expression.callee as N;
    return callee.type === 'Identifier' && EXIT_CALLS.indexOf(callee.name) >= 0;
  }
  if (st.type === 'BlockStatement') return (st.body as N[]).some(exits);
  return false;
}

/**
 * Whether `node` only runs after a check: it is in a branch of an if / ?: (or the right side of
 * && || ??) whose test satisfies `mentions`, or an earlier statement of an enclosing block is
 * `if (<test satisfying mentions>) <exit>`.
 */
function isGuardedBy(node: N, a: Analysis, mentions: (test: N) => boolean): boolean {
  let child = node;
  let parent = a.parents.get(node);
  while (parent) {
    if ((parent.type === 'IfStatement' || parent.type === 'ConditionalExpression') && child !== parent.test && mentions(parent.test)) {
      return true;
    }
    if (parent.type === 'LogicalExpression' && child === parent.right && mentions(parent.left)) return true;
    const list: N[] | undefined =
      parent.type === 'Program' || parent.type === 'BlockStatement' || parent.type === 'StaticBlock'
        ? parent.body
        : parent.type === 'SwitchCase'
          ? parent.consequent
          : undefined;
    if (list) {
      for (const st of list) {
        if (st === child) break;
        if (st.type === 'IfStatement' && mentions(st.test) && exits(st.consequent)) return true;
      }
    }
    child = parent;
    parent = a.parents.get(parent);
  }
  return false;
}

function mentionsName(name: string): (test: N) => boolean {
  return (test) => {
    let found = false;
    walk(test, (n) => {
      if (n.type === 'Identifier' && n.name === name) found = true;
    });
    return found;
  };
}

// ---------------------------------------------------------------------------------------------
// list-maybe-undefined: jsPolicy's list() returns undefined (not []) when nothing matches
// (ListResponse.List is `json:"list,omitempty"`, pkg/vm/vm.go). Flags `list(…).x`, `for (… of list(…))`
// and, for `const v = list(…)`, unguarded `v.x` / `for (… of v)` / `[...v]`.

const listMaybeUndefined: CodeRule = (_p, a) => {
  const listCalls = new Set(
    a
      .globalRefs('list')
      .map((r) => ({ id: r.node, call: a.parents.get(r.node) }))
      .filter((x) => !!x.call && x.call.type === 'CallExpression' && x.call.callee === x.id && !x.call.optional)
      .map((x) => x.call as N),
  );
  const isListCall = (n: N): boolean => listCalls.has(n);
  const aliases = new Set<string>();
  const reassigned = new Set(a.refs.filter((r) => r.mode === 'write' || r.mode === 'readwrite').map((r) => r.name));
  walk(a.program, (n) => {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init && listCalls.has(n.init)) {
      const name = n.id.name as string;
      // a `let` that is reassigned later (e.g. `pods = pods || []`) is not tracked
      if (!reassigned.has(name) || a.parents.get(n)?.kind === 'const') aliases.add(name);
    }
  });
  const out: Finding[] = [];
  const report = (use: N, what: string): void => {
    out.push(
      at(use, {
        rule: 'list-maybe-undefined',
        severity: 'error',
        message: `${what}: jsPolicy's list() returns undefined, not [], when nothing matches, so this throws a TypeError (and the request is rejected).`,
        hint: 'Default the result: `const items = list(kind, apiVersion, options) ?? [];` (or use items?.…).',
      }),
    );
  };
  walk(a.program, (n) => {
    let target: N | undefined;
    if (n.type === 'MemberExpression' && !n.optional) target = n.object;
    else if (n.type === 'ForOfStatement') target = n.right;
    else if (n.type === 'SpreadElement') target = n.argument;
    if (!target) return;
    if (isListCall(target)) report(n, 'list(…) result used directly');
    else if (target.type === 'Identifier' && aliases.has(target.name) && !isGuardedBy(n, a, mentionsName(target.name))) {
      report(n, `\`${target.name}\` (from list()) used without a check`);
    }
  });
  return out;
};

// ---------------------------------------------------------------------------------------------
// unguarded-object-on-delete
//
// On DELETE, request.object is null (webhooks; controllers once the object is gone). A dereference
// `request.object.x` (or `alias.x` for `const alias = request.object` / `const {object: alias} = request`)
// is "guarded" when:
//   1. it is itself optional (`request.object?.x`), or
//   2. it sits in the branch of an if / ?: (or the right side of && || ??) whose test mentions
//      request.object, request.operation, an alias, or the string 'DELETE', or
//   3. an earlier statement of an enclosing block is `if (<such a test>) <allow()|exit()|deny()|mutate()|return|throw>`.
// Deliberately simple: it may miss some unguarded uses, and should not flag guarded ones.

const unguardedObjectOnDelete: CodeRule = (p, a, options) => {
  if (expandOperations(p.operations).indexOf('DELETE') < 0) return [];
  const globalRequest = new Set(a.globalRefs('request').map((r) => r.node));
  const aliases = new Set<string>();
  const isRequestObject = (n: N): boolean => {
    const e = n.type === 'ChainExpression' ? (n.expression as N) : n;
    return e.type === 'MemberExpression' && propertyName(e) === 'object' && globalRequest.has(e.object);
  };
  walk(a.program, (n) => {
    if (n.type !== 'VariableDeclarator' || !n.init) return;
    if (n.id.type === 'Identifier' && isRequestObject(n.init)) aliases.add(n.id.name);
    if (n.id.type === 'ObjectPattern' && globalRequest.has(n.init)) {
      for (const prop of n.id.properties as N[]) {
        if (prop.type === 'Property' && keyName(prop) === 'object') {
          const v = prop.value.type === 'AssignmentPattern' ? prop.value.left : prop.value;
          if (v.type === 'Identifier') aliases.add(v.name);
        }
      }
    }
  });
  const isObjectExpr = (n: N): boolean => isRequestObject(n) || (n.type === 'Identifier' && aliases.has(n.name));
  const mentionsGuard = (expr: N): boolean => {
    let found = false;
    walk(expr, (n) => {
      if (found) return;
      const path = memberPath(n);
      if (path === 'request.object' || path === 'request.operation') found = true;
      else if (n.type === 'Identifier' && aliases.has(n.name)) found = true;
      else if (n.type === 'Literal' && n.value === 'DELETE') found = true;
    });
    return found;
  };
  const isGuarded = (node: N): boolean => isGuardedBy(node, a, mentionsGuard);
  const out: Finding[] = [];
  const lines = new Set<number>();
  walk(a.program, (n) => {
    if (n.type !== 'MemberExpression' || n.optional || !isObjectExpr(n.object)) return;
    if (isGuarded(n)) return;
    const { line } = locOf(n);
    if (lines.has(line)) return;
    lines.add(line);
    out.push(
      at(n, {
        rule: 'unguarded-object-on-delete',
        severity: options.profile === 'generated' ? 'error' : 'warning',
        message: `spec.operations includes DELETE, where request.object is null: \`${
          memberPath(n) ?? 'request.object.…'
        }\` throws a TypeError and the request is rejected.`,
        hint: "Handle DELETE first (e.g. `if (request.operation === 'DELETE') allow();` or read request.oldObject), or use optional chaining request.object?.…; or drop DELETE from spec.operations if it is not needed.",
      }),
    );
  });
  return out;
};

// ---------------------------------------------------------------------------------------------
// parse-differential: text V8 (a script) and jsPolicy's webpack step (a module first) read
// differently. An HTML-like comment hides a require() from V8, the linter's script reading and the
// sandbox, while webpack follows it at compile time and puts the file it reads into the JsPolicy's
// status (audit 2, §6.1).

const parseDifferential: CodeRule = (p, a, options) => {
  if (a.sourceType !== 'script') return [];
  const where = readingsDiffer(p.javascript);
  if (!where) return [];
  return [
    {
      rule: 'parse-differential',
      severity: strictness(options),
      path: 'spec.javascript',
      line: where.line,
      column: where.column + 1,
      message: "The code means one thing to V8, which runs it as a script, and another to jsPolicy's webpack step, which parses it as a module first: HTML-like comments (<!--, or --> at the start of a line) are comments only in a script.",
      hint: 'Remove HTML-like comments and write comparisons and decrements with spaces (a < !b, not a <!--b): the code must read the same as a script and as a module.',
    },
  ];
};

export const CODE_RULES: readonly CodeRule[] = [
  parseDifferential,
  v8BuiltinMissing,
  undeclaredName,
  forbiddenConstruct,
  unboundedLoop,
  forbiddenCall,
  mutateUse,
  unguardedObjectOnDelete,
  listMaybeUndefined,
  subsetRule,
  regexRedos,
  clockRule,
];

/** All code findings for a policy (nothing when it has no javascript). */
export function lintCode(policy: PolicyView, options: LintOptions): Finding[] {
  if (policy.javascript.trim() === '') return [];
  const parsed = parseScript(policy.javascript);
  if (!parsed.ok) {
    return [
      {
        rule: 'js-syntax',
        severity: 'error',
        path: 'spec.javascript',
        line: parsed.error.line,
        column: parsed.error.column,
        message: `JavaScript syntax error: ${parsed.error.message}.`,
        hint: `Fix the syntax at javascript line ${parsed.error.line}, column ${parsed.error.column}: the code must be plain JavaScript, ES2022 syntax at most (no TypeScript types, no JSX).`,
      },
    ];
  }
  const out: Finding[] = [];
  for (const rule of CODE_RULES) out.push(...rule(policy, parsed.analysis, options));
  return out;
}
