// Parsing and scope analysis of a policy's spec.javascript (acorn only, no acorn-walk).
//
// jsPolicy bundles spec.javascript with webpack 5 (`javascript/auto`): the code is parsed as an ES
// module when it can be, else as a script with `return` allowed at the top level; import/export make it
// an ES module (strict mode). We mirror that: parse as a script first (allowReturnOutsideFunction),
// and fall back to a module parse when the script parse fails (import declarations).
//
// ecmaVersion is 2022, not 2021: V8 9.6 implements all ES2022 syntax (class fields 7.2, private methods
// 8.4, `#x in o` 9.1, RegExp /d 9.0, class static blocks 9.4), so a 2021 parse would reject code jsPolicy
// runs. What V8 9.6 lacks are ES2023+ *built-ins*, which code.ts checks separately.
import { parse } from 'acorn';

export interface Loc {
  line: number;
  column: number;
}

/** An ESTree node as acorn produces it (fields read loosely). */
export interface N {
  type: string;
  start: number;
  end: number;
  loc?: { start: Loc; end: Loc };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

export type ScopeKind = 'global' | 'module' | 'function' | 'block' | 'catch' | 'class';

export interface Scope {
  kind: ScopeKind;
  parent: Scope | null;
  names: Set<string>;
  /** Inside a non-arrow function (so `arguments` exists). */
  hasArguments: boolean;
}

export type RefMode = 'read' | 'write' | 'readwrite' | 'typeof';

export interface Ref {
  name: string;
  node: N;
  scope: Scope;
  mode: RefMode;
  /** true when some enclosing scope declares the name. */
  declared: boolean;
}

export interface Analysis {
  program: N;
  sourceType: 'script' | 'module';
  /** Strict-mode code: an ES module (import/export) or a top-level "use strict". */
  strict: boolean;
  refs: Ref[];
  parents: Map<N, N>;
  /** References to `name` that no scope declares (i.e. the host global). */
  globalRefs(name: string): Ref[];
}

export interface SyntaxProblem {
  message: string;
  line: number;
  column: number;
}

function acornParse(code: string, sourceType: 'script' | 'module'): N {
  return parse(code, {
    ecmaVersion: 2022,
    sourceType,
    locations: true,
    allowReturnOutsideFunction: sourceType === 'script',
    allowHashBang: true,
  }) as unknown as N;
}

export function isNode(v: unknown): v is N {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

/** The child nodes of a node, in field order. */
export function children(node: N): N[] {
  const out: N[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'type' || key === 'start' || key === 'end') continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const x of v) if (isNode(x)) out.push(x);
    } else if (isNode(v)) out.push(v);
  }
  return out;
}

/** Calls fn on every node (pre-order). */
export function walk(node: N, fn: (n: N) => void): void {
  fn(node);
  for (const c of children(node)) walk(c, fn);
}

/**
 * Where jsPolicy's two parsers may read `code` differently, if anywhere. V8 runs it as a classic
 * script; jsPolicy's webpack step parses it as a module first and falls back to a script only when
 * that fails. Some text parses both ways with two meanings: `a <!--b; require(file)` is `a` and a
 * comment to V8 (HTML-like comments exist only in scripts), `a < !--b` and a require webpack follows
 * at compile time to webpack. Any HTML-like comment counts, and so does any node where the two trees
 * differ.
 */
export function readingsDiffer(code: string): Loc | undefined {
  let script: N;
  const htmlComments: Loc[] = [];
  try {
    script = parse(code, {
      ecmaVersion: 2022,
      sourceType: 'script',
      locations: true,
      allowReturnOutsideFunction: true,
      allowHashBang: true,
      onComment: (block, _text, start, _end, startLoc) => {
        const opener = code.slice(start, start + 4);
        if (!block && (opener === '<!--' || opener.startsWith('-->')) && startLoc) htmlComments.push({ line: startLoc.line, column: startLoc.column });
      },
    }) as unknown as N;
  } catch {
    return undefined;
  }
  if (htmlComments.length > 0) return htmlComments[0];
  let module: N;
  try {
    module = acornParse(code, 'module');
  } catch {
    return undefined;
  }
  const flatten = (root: N): N[] => {
    const out: N[] = [];
    walk(root, (n) => out.push(n));
    return out;
  };
  const [a, b] = [flatten(script), flatten(module)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]?.type !== b[i]?.type || a[i]?.start !== b[i]?.start || a[i]?.end !== b[i]?.end) {
      const at = (a[i] ?? b[i] ?? script) as N & { loc?: { start: Loc } };
      return at.loc?.start ?? { line: 1, column: 0 };
    }
  }
  return undefined;
}

export function parseScript(code: string): { ok: true; analysis: Analysis } | { ok: false; error: SyntaxProblem } {
  let program: N;
  let sourceType: 'script' | 'module' = 'script';
  try {
    program = acornParse(code, 'script');
  } catch (scriptErr) {
    let moduleProgram: N | undefined;
    let reported: unknown = scriptErr;
    try {
      moduleProgram = acornParse(code, 'module');
    } catch (moduleErr) {
      moduleProgram = undefined;
      // code with import/export: the module parse has the meaningful error
      if (/sourceType: module/.test(String((scriptErr as { message?: string }).message))) reported = moduleErr;
    }
    // Only import/export make webpack treat the code as an ES module (else e.g. top-level await fails).
    const isEsm = (p: N): boolean => (p.body as N[]).some((st) => /^(Import|Export)/.test(st.type));
    if (moduleProgram && isEsm(moduleProgram)) {
      program = moduleProgram;
      sourceType = 'module';
    } else {
      const e = reported as { message?: string; loc?: Loc };
      return {
        ok: false,
        error: {
          message: String(e.message ?? reported).replace(/ \(\d+:\d+\)$/, ''),
          line: e.loc?.line ?? 1,
          column: (e.loc?.column ?? 0) + 1,
        },
      };
    }
  }
  return { ok: true, analysis: analyse(program, sourceType) };
}

function analyse(program: N, sourceType: 'script' | 'module'): Analysis {
  const refs: Ref[] = [];
  const parents = new Map<N, N>();
  const buildParents = (n: N): void => {
    for (const c of children(n)) {
      parents.set(c, n);
      buildParents(c);
    }
  };
  buildParents(program);

  const newScope = (kind: ScopeKind, parent: Scope | null, hasArguments?: boolean): Scope => ({
    kind,
    parent,
    names: new Set(),
    hasArguments: hasArguments ?? (parent ? parent.hasArguments : false),
  });
  const varScope = (s: Scope): Scope => {
    let cur: Scope = s;
    while (cur.kind !== 'function' && cur.kind !== 'global' && cur.kind !== 'module' && cur.parent) cur = cur.parent;
    return cur;
  };
  const ref = (node: N, scope: Scope, mode: RefMode): void => {
    refs.push({ name: node.name as string, node, scope, mode, declared: false });
  };

  const globalScope = newScope('global', null, false);
  const top = sourceType === 'module' ? newScope('module', globalScope) : globalScope;

  // --- patterns -------------------------------------------------------------------------------
  const bindPattern = (p: N | null, scope: Scope, declare: (name: string) => void): void => {
    if (!p) return;
    switch (p.type) {
      case 'Identifier':
        declare(p.name);
        return;
      case 'ObjectPattern':
        for (const prop of p.properties as N[]) {
          if (prop.type === 'RestElement') bindPattern(prop.argument, scope, declare);
          else {
            if (prop.computed) visit(prop.key, scope);
            bindPattern(prop.value, scope, declare);
          }
        }
        return;
      case 'ArrayPattern':
        for (const el of p.elements as Array<N | null>) bindPattern(el, scope, declare);
        return;
      case 'AssignmentPattern':
        bindPattern(p.left, scope, declare);
        visit(p.right, scope);
        return;
      case 'RestElement':
        bindPattern(p.argument, scope, declare);
        return;
      default:
        visit(p, scope);
    }
  };
  const assignPattern = (p: N | null, scope: Scope, mode: RefMode): void => {
    if (!p) return;
    switch (p.type) {
      case 'Identifier':
        ref(p, scope, mode);
        return;
      case 'ObjectPattern':
        for (const prop of p.properties as N[]) {
          if (prop.type === 'RestElement') assignPattern(prop.argument, scope, 'write');
          else {
            if (prop.computed) visit(prop.key, scope);
            assignPattern(prop.value, scope, 'write');
          }
        }
        return;
      case 'ArrayPattern':
        for (const el of p.elements as Array<N | null>) assignPattern(el, scope, 'write');
        return;
      case 'AssignmentPattern':
        assignPattern(p.left, scope, 'write');
        visit(p.right, scope);
        return;
      case 'RestElement':
        assignPattern(p.argument, scope, 'write');
        return;
      default:
        visit(p, scope); // MemberExpression target
    }
  };

  const declareIn = (s: Scope) => (name: string): void => {
    s.names.add(name);
  };

  const visitFunction = (fn: N, outer: Scope): void => {
    const isArrow = fn.type === 'ArrowFunctionExpression';
    const scope = newScope('function', outer, isArrow ? undefined : true);
    if (fn.type === 'FunctionExpression' && fn.id) scope.names.add(fn.id.name);
    for (const param of fn.params as N[]) bindPattern(param, scope, declareIn(scope));
    const body = fn.body as N;
    if (body.type === 'BlockStatement') for (const st of body.body as N[]) visit(st, scope);
    else visit(body, scope);
  };

  const visitClass = (cls: N, outer: Scope): void => {
    if (cls.superClass) visit(cls.superClass, outer);
    const scope = newScope('class', outer);
    if (cls.id) scope.names.add(cls.id.name);
    for (const member of cls.body.body as N[]) {
      if (member.type === 'StaticBlock') {
        const s = newScope('function', scope, false);
        for (const st of member.body as N[]) visit(st, s);
        continue;
      }
      if (member.computed) visit(member.key, scope);
      if (member.value) {
        if (member.type === 'PropertyDefinition') {
          // field initialisers are evaluated like methods: `arguments` is not allowed, `this` is.
          visit(member.value, newScope('function', scope, false));
        } else visit(member.value, scope);
      }
    }
  };

  // --- statements and expressions --------------------------------------------------------------
  function visit(node: N | null | undefined, scope: Scope): void {
    if (!node) return;
    switch (node.type) {
      case 'Identifier':
        ref(node, scope, 'read');
        return;
      case 'VariableDeclaration': {
        const target = node.kind === 'var' ? varScope(scope) : scope;
        for (const d of node.declarations as N[]) {
          bindPattern(d.id, scope, declareIn(target));
          visit(d.init, scope);
        }
        return;
      }
      case 'FunctionDeclaration':
        if (node.id) {
          scope.names.add(node.id.name);
          varScope(scope).names.add(node.id.name); // Annex B: block functions are also var-scoped
        }
        visitFunction(node, scope);
        return;
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        visitFunction(node, scope);
        return;
      case 'ClassDeclaration':
        if (node.id) scope.names.add(node.id.name);
        visitClass(node, scope);
        return;
      case 'ClassExpression':
        visitClass(node, scope);
        return;
      case 'BlockStatement': {
        const s = newScope('block', scope);
        for (const st of node.body as N[]) visit(st, s);
        return;
      }
      case 'ForStatement': {
        const s = newScope('block', scope);
        visit(node.init, s);
        visit(node.test, s);
        visit(node.update, s);
        visit(node.body, s);
        return;
      }
      case 'ForInStatement':
      case 'ForOfStatement': {
        const s = newScope('block', scope);
        if (node.left.type === 'VariableDeclaration') visit(node.left, s);
        else assignPattern(node.left, s, 'write');
        visit(node.right, s);
        visit(node.body, s);
        return;
      }
      case 'SwitchStatement': {
        visit(node.discriminant, scope);
        const s = newScope('block', scope);
        for (const c of node.cases as N[]) {
          visit(c.test, s);
          for (const st of c.consequent as N[]) visit(st, s);
        }
        return;
      }
      case 'CatchClause': {
        const s = newScope('catch', scope);
        if (node.param) bindPattern(node.param, s, declareIn(s));
        for (const st of node.body.body as N[]) visit(st, s);
        return;
      }
      case 'MemberExpression':
        visit(node.object, scope);
        if (node.computed) visit(node.property, scope);
        return;
      case 'Property':
        if (node.computed) visit(node.key, scope);
        visit(node.value, scope);
        return;
      case 'AssignmentExpression':
        if (node.left.type === 'Identifier') ref(node.left, scope, node.operator === '=' ? 'write' : 'readwrite');
        else assignPattern(node.left, scope, 'write');
        visit(node.right, scope);
        return;
      case 'UpdateExpression':
        if (node.argument.type === 'Identifier') ref(node.argument, scope, 'readwrite');
        else visit(node.argument, scope);
        return;
      case 'UnaryExpression':
        if (node.argument.type === 'Identifier' && (node.operator === 'typeof' || node.operator === 'delete')) {
          ref(node.argument, scope, 'typeof');
        } else visit(node.argument, scope);
        return;
      case 'LabeledStatement':
        visit(node.body, scope);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'MetaProperty':
      case 'PrivateIdentifier':
      case 'Literal':
      case 'ThisExpression':
      case 'Super':
        return;
      case 'ImportDeclaration':
        for (const spec of node.specifiers as N[]) top.names.add(spec.local.name);
        return;
      case 'ExportNamedDeclaration':
        if (node.declaration) visit(node.declaration, scope);
        else if (!node.source) for (const spec of node.specifiers as N[]) ref(spec.local, scope, 'read');
        return;
      case 'ExportDefaultDeclaration':
        visit(node.declaration, scope);
        return;
      case 'ExportAllDeclaration':
        return;
      default:
        for (const c of children(node)) visit(c, scope);
    }
  }

  for (const st of program.body as N[]) visit(st, top);

  for (const r of refs) {
    let s: Scope | null = r.scope;
    while (s) {
      if (s.names.has(r.name)) {
        r.declared = true;
        break;
      }
      s = s.parent;
    }
    if (!r.declared && r.name === 'arguments' && r.scope.hasArguments) r.declared = true;
  }

  const strict =
    sourceType === 'module' ||
    ((program.body as N[]).length > 0 &&
      (program.body as N[])[0]?.type === 'ExpressionStatement' &&
      (program.body as N[])[0]?.directive === 'use strict');

  return {
    program,
    sourceType,
    strict,
    refs,
    parents,
    globalRefs: (name: string) => refs.filter((r) => r.name === name && !r.declared),
  };
}

/** `request.object`-style static member path of a node ("request.object"), or undefined. */
export function memberPath(node: N): string | undefined {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'ChainExpression') return memberPath(node.expression);
  if (node.type === 'MemberExpression') {
    const base = memberPath(node.object);
    if (base === undefined) return undefined;
    if (!node.computed && node.property.type === 'Identifier') return base + '.' + node.property.name;
    if (node.computed && node.property.type === 'Literal' && typeof node.property.value === 'string') {
      return base + '.' + node.property.value;
    }
  }
  return undefined;
}

export function locOf(node: N): { line: number; column: number } {
  return { line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1 };
}
