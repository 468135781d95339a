// Static checks and the halting/step rewrite of a candidate policy (acorn only; the output is the input
// text with insertions spliced in at node positions, so no code generator is needed).
//
// What the rewrite guarantees, given the names it introduces are unguessable and a candidate cannot write
// identifiers starting with "__":
// - every `catch` rethrows the halt sentinel before any candidate code in the clause runs (also for
//   destructuring and binding-less clauses, which get a fresh binding);
// - every `finally` body is skipped while the run is halting;
// - every function body (including arrow expression bodies, methods, getters, class constructors) and
//   every loop body starts with a step tick, so any unbounded repetition of candidate code ticks.
import { parse } from 'acorn';
import { children as childNodes, isNode, type N as AstNode } from '../lint/js.ts';

export interface RewriteNames {
  /** The halt sentinel (a value compared with ===). */
  halt: string;
  /** The step tick: `S()` throws the halt once the budget is used up or the run is halting. */
  step: string;
  /** `G()` is true while the run is halting. */
  halting: string;
  /** Prefix of fresh catch bindings. */
  fresh: string;
}

export type RewriteResult = { ok: true; code: string } | { ok: false; error: string; refused: boolean };

const ECMA_VERSION = 2022; // V8 9.6 implements all ES2022 syntax (see lib/lint/js.ts)
const MAX_REFUSALS = 5;

function at(node: AstNode): string {
  const p = node.loc?.start;
  return p ? ` (line ${p.line}, column ${p.column + 1})` : '';
}

/** Random suffix for the per-compilation names. Not a secret from the host, only unguessable in advance. */
export function freshNames(): RewriteNames {
  let suffix = '';
  while (suffix.length < 12) suffix += Math.random().toString(36).slice(2);
  suffix = suffix.slice(0, 12);
  return { halt: `__h_${suffix}`, step: `__s_${suffix}`, halting: `__g_${suffix}`, fresh: `__c_${suffix}_` };
}

interface Edit {
  start: number;
  end: number; // > start for replacements
  text: string;
  /** Closes something opened at an earlier position (sorted before openings at the same position). */
  closing: boolean;
  seq: number;
}

function parseScript(code: string): { program: AstNode; comments: Array<{ start: number; end: number }> } | { error: string; module: boolean } {
  const comments: Array<{ start: number; end: number }> = [];
  try {
    const program = parse(code, {
      ecmaVersion: ECMA_VERSION,
      sourceType: 'script',
      locations: true,
      // jsPolicy runs spec.javascript through webpack, which wraps it in a function: `return` works there.
      allowReturnOutsideFunction: true,
      allowHashBang: false,
      onComment: (_block: boolean, _text: string, start: number, end: number) => {
        comments.push({ start, end });
      },
    }) as unknown as AstNode;
    return { program, comments };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    let module = false;
    try {
      parse(code, { ecmaVersion: ECMA_VERSION, sourceType: 'module' });
      module = true;
    } catch {
      // not a module either: report the script error
    }
    return { error: message, module };
  }
}

/** Identifier positions that are not variable references (property names, labels). */
function nonReferenceIdentifiers(program: AstNode): Set<AstNode> {
  const out = new Set<AstNode>();
  const visit = (node: AstNode): void => {
    switch (node.type) {
      case 'MemberExpression':
        if (!node.computed && isNode(node.property)) out.add(node.property);
        break;
      case 'Property':
        if (!node.computed && !node.shorthand && isNode(node.key)) out.add(node.key);
        break;
      case 'MethodDefinition':
      case 'PropertyDefinition':
        if (!node.computed && isNode(node.key)) out.add(node.key);
        break;
      case 'LabeledStatement':
      case 'BreakStatement':
      case 'ContinueStatement':
        if (isNode(node.label)) out.add(node.label);
        break;
      default:
        break;
    }
    for (const c of childNodes(node)) visit(c);
  };
  visit(program);
  return out;
}

function check(program: AstNode): string[] {
  const problems: string[] = [];
  const notRefs = nonReferenceIdentifiers(program);
  const refuse = (what: string, node: AstNode): void => {
    if (problems.length < MAX_REFUSALS) problems.push(what + at(node));
  };
  const visit = (node: AstNode): void => {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (node.async) refuse('async functions are not allowed', node);
        if (node.generator) refuse('generator functions are not allowed', node);
        break;
      case 'ImportExpression':
      case 'ImportDeclaration':
        refuse('import is not allowed', node);
        break;
      case 'MetaProperty':
        if (isNode(node.meta) && node.meta.name === 'import') refuse('import.meta is not allowed', node);
        break;
      case 'WithStatement':
        refuse('with statements are not allowed', node);
        break;
      case 'DebuggerStatement':
        refuse('debugger statements are not allowed', node);
        break;
      case 'ForOfStatement':
        if (node.await) refuse('for await is not allowed', node);
        break;
      case 'Identifier': {
        const name = String(node.name);
        if (name.startsWith('__')) refuse(`names starting with "__" are reserved (${name})`, node);
        else if ((name === 'eval' || name === 'Function') && !notRefs.has(node)) refuse(`${name} is not allowed`, node);
        break;
      }
      default:
        break;
    }
    for (const c of childNodes(node)) visit(c);
  };
  visit(program);
  return problems;
}

// ses refuses source text that merely looks like an HTML comment, an import expression or a direct eval,
// wherever it appears (its checks are regular expressions). In string literals and untagged template
// text the same characters are written as escapes instead, which leaves the values unchanged.
const SES_REFUSED_TEXT = /<!--|-->|\bimport\s*(?:\(|\/[/*])|\beval\s*\(/;

function escapeRefusedText(raw: string): string {
  return raw
    .replace(/<!--/g, '\\x3C!--')
    .replace(/-->/g, '--\\x3E')
    .replace(/\bimport(\s*(?:\(|\/[/*]))/g, '\\x69mport$1')
    .replace(/\beval(\s*\()/g, '\\x65val$1');
}

function collectEdits(program: AstNode, names: RewriteNames): Edit[] {
  const edits: Edit[] = [];
  let seq = 0;
  let freshCount = 0;
  const insert = (pos: number, text: string, closing = false): void => {
    edits.push({ start: pos, end: pos, text, closing, seq: seq++ });
  };
  const replace = (start: number, end: number, text: string): void => {
    edits.push({ start, end, text, closing: false, seq: seq++ });
  };
  const tick = `${names.step}();`;

  const loopBody = (body: AstNode): void => {
    if (body.type === 'BlockStatement') insert(body.start + 1, tick);
    else {
      insert(body.start, `{${tick}`);
      insert(body.end, '}', true);
    }
  };

  const visit = (node: AstNode, parent: AstNode | undefined): void => {
    switch (node.type) {
      case 'Literal':
        if (typeof node.value === 'string' && typeof node.raw === 'string' && SES_REFUSED_TEXT.test(node.raw)) {
          // Re-written from the value: JSON's escapes are all complete pairs, so the inserted ones cannot
          // combine with a backslash of the original text.
          replace(node.start, node.end, escapeRefusedText(JSON.stringify(node.value)));
        }
        break;
      case 'TemplateLiteral':
        if (parent?.type !== 'TaggedTemplateExpression') {
          for (const quasi of node.quasis as AstNode[]) {
            const { raw, cooked } = quasi.value as { raw: string; cooked: string | null };
            if (SES_REFUSED_TEXT.test(raw) && typeof cooked === 'string') {
              const clean = cooked.replace(/[\\`]/g, '\\$&').replace(/\$\{/g, '\\${').replace(/\r/g, '\\r');
              replace(quasi.start, quasi.end, escapeRefusedText(clean));
            }
          }
        }
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const body = node.body as AstNode;
        if (body.type === 'BlockStatement') insert(body.start + 1, tick);
        else {
          insert(body.start, `(${names.step}(), `);
          insert(body.end, ')', true);
        }
        break;
      }
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
        loopBody(node.body as AstNode);
        break;
      case 'CatchClause': {
        const body = node.body as AstNode;
        const param = node.param;
        if (isNode(param) && param.type === 'Identifier') {
          insert(body.start + 1, `if (${param.name} === ${names.halt}) throw ${param.name};`);
        } else {
          const fresh = `${names.fresh}${freshCount++}`;
          const rethrow = `if (${fresh} === ${names.halt}) throw ${fresh};`;
          if (isNode(param)) {
            // catch (PATTERN) {BODY}  →  catch (F) { rethrow; let PATTERN = F; BODY }
            // The text between `catch` and the pattern holds only `(` (and blanks/comments), the text
            // between the pattern and the body's `{` only `)`: both are replaced, the pattern stays put.
            replace(node.start + 'catch'.length, param.start, ` (${fresh}) { ${rethrow} let `);
            replace(param.end, body.start + 1, ` = ${fresh};`);
          } else {
            // catch {BODY}  →  catch (F) {rethrow; BODY}
            insert(node.start + 'catch'.length, ` (${fresh})`);
            insert(body.start + 1, rethrow);
          }
        }
        break;
      }
      case 'TryStatement': {
        const finalizer = node.finalizer;
        if (isNode(finalizer)) {
          insert(finalizer.start + 1, `if (!${names.halting}()) {`);
          insert(finalizer.end - 1, '}', true);
        }
        break;
      }
      default:
        break;
    }
    for (const c of childNodes(node)) visit(c, node);
  };
  visit(program, undefined);
  return edits;
}

function applyEdits(source: string, edits: Edit[], blanks: Array<{ start: number; end: number }>): string {
  // Comments are blanked (newlines kept, so positions in error messages keep their line numbers):
  // ses refuses source text that merely looks like `import(` or a direct eval, comments included.
  let text = source;
  if (blanks.length > 0) {
    const chars = source.split('');
    for (const { start, end } of blanks) {
      for (let i = start; i < end; i++) if (chars[i] !== '\n' && chars[i] !== '\r' && chars[i] !== '\u2028' && chars[i] !== '\u2029') chars[i] = ' ';
    }
    text = chars.join('');
  }
  const sorted = [...edits].sort((a, b) => {
    if (a.start !== b.start) return a.start - b.start;
    if (a.closing !== b.closing) return a.closing ? -1 : 1;
    return a.closing ? b.seq - a.seq : a.seq - b.seq;
  });
  const parts: string[] = [];
  let pos = 0;
  for (const edit of sorted) {
    if (edit.start < pos) throw new Error(`sandbox rewrite: overlapping edits at ${edit.start}`);
    parts.push(text.slice(pos, edit.start), edit.text);
    pos = edit.end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}

/**
 * Checks and rewrites one script (a candidate or the helper library). `what` names it in messages.
 * Errors are jsPolicy-like texts: a syntax error reads `Uncaught SyntaxError: …`.
 */
export function rewriteScript(source: string, names: RewriteNames, what: string): RewriteResult {
  const parsed = parseScript(source);
  if ('error' in parsed) {
    if (parsed.module) return { ok: false, refused: true, error: `${what}: import/export are not allowed (write a plain script)` };
    return { ok: false, refused: false, error: `Uncaught SyntaxError: ${parsed.error}${what === 'policy' ? '' : ` (in ${what})`}` };
  }
  const problems = check(parsed.program);
  if (problems.length > 0) return { ok: false, refused: true, error: `${what}: ${problems.join('; ')}` };
  const edits = collectEdits(parsed.program, names);
  return { ok: true, code: applyEdits(source, edits, parsed.comments) };
}
