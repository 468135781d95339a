// Composition: the emitted policy carries exactly the library helpers its code calls (and those they
// call), so jsPolicy runs it with no dependency on the library. A token scan, not a parser: it runs in
// the controller, and naming a helper where it is not called only costs a few bytes of unused code.
import type { PolicySkill } from './types.ts';

const KEYWORDS_BEFORE_REGEX = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
const DECLARERS = new Set(['function', 'var', 'let', 'const', 'class']);

export interface ScannedNames {
  /** Identifiers used in code, not as a property name after `.` (strings, comments, regexes skipped). */
  used: Set<string>;
  /** Names the code declares after function/var/let/const/class. */
  declared: Set<string>;
}

/** Free identifiers of JavaScript code, by a token scan aware of strings, templates, comments and regexes. */
export function scanNames(code: string): ScannedNames {
  const used = new Set<string>();
  const declared = new Set<string>();
  let i = 0;
  let prev = ''; // previous significant token: an identifier/keyword, or a punctuator character
  const templateDepth: number[] = []; // brace depth at which each open `${` returns to its template
  let braces = 0;
  const n = code.length;

  const skipString = (quote: string): void => {
    i += 1;
    while (i < n && code[i] !== quote) {
      if (code[i] === '\\') i += 1;
      else if (code[i] === '\n') break;
      i += 1;
    }
    i += 1;
  };
  // From inside a template's text: stops after the closing backtick, or after `${` (pushing the depth).
  const skipTemplateText = (): void => {
    while (i < n) {
      const c = code[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        i += 1;
        return;
      } else if (c === '$' && code[i + 1] === '{') {
        i += 2;
        templateDepth.push(braces);
        braces += 1;
        return;
      } else i += 1;
    }
  };

  while (i < n) {
    const c = code[i] as string;
    if (c === '/' && code[i + 1] === '/') {
      while (i < n && code[i] !== '\n') i += 1;
    } else if (c === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      skipString(c);
      prev = 'str';
    } else if (c === '`') {
      i += 1;
      skipTemplateText();
      prev = 'str';
    } else if (c === '/') {
      const regexAllowed = prev === '' || (/^[^\w$)\]}]$/.test(prev) && prev !== 'str') || KEYWORDS_BEFORE_REGEX.has(prev);
      if (regexAllowed && prev !== 'str' && prev !== 'num') {
        i += 1;
        let inClass = false;
        while (i < n && code[i] !== '\n') {
          const d = code[i];
          if (d === '\\') i += 1;
          else if (d === '[') inClass = true;
          else if (d === ']') inClass = false;
          else if (d === '/' && !inClass) break;
          i += 1;
        }
        i += 1;
        while (i < n && /[a-z]/.test(code[i] as string)) i += 1;
        prev = 'str';
      } else {
        i += 1;
        prev = '/';
      }
    } else if (/[A-Za-z_$]/.test(c)) {
      const start = i;
      while (i < n && /[\w$]/.test(code[i] as string)) i += 1;
      const word = code.slice(start, i);
      if (prev !== '.') {
        if (DECLARERS.has(prev)) declared.add(word);
        else used.add(word);
      }
      prev = word;
    } else if (/[0-9]/.test(c)) {
      while (i < n && /[\w.]/.test(code[i] as string)) i += 1;
      prev = 'num';
    } else if (/\s/.test(c)) {
      i += 1;
    } else {
      if (c === '{') braces += 1;
      else if (c === '}') {
        braces -= 1;
        if (templateDepth.length > 0 && templateDepth[templateDepth.length - 1] === braces) {
          templateDepth.pop();
          i += 1;
          skipTemplateText();
          prev = 'str';
          continue;
        }
      }
      // `?.` is a property access too
      prev = c === '?' && code[i + 1] === '.' && !/[0-9]/.test(code[i + 2] ?? '') ? '.' : c;
      i += c === '?' && prev === '.' ? 2 : 1;
    }
  }
  return { used, declared };
}

export interface InlineOptions {
  /** Inline only verified helpers (default true). */
  verifiedOnly?: boolean;
}

export interface Inlined {
  javascript: string;
  /** Function names of the helpers added, in the order their code appears (callees first). */
  used: string[];
  /** Helpers named in a `calls` list that the library lacks (the policy would throw a ReferenceError). */
  missing: string[];
}

/** The helpers `names` need, callees before callers, each once. */
export function helperClosure(names: readonly string[], helpers: ReadonlyMap<string, PolicySkill>): { order: PolicySkill[]; missing: string[] } {
  const order: PolicySkill[] = [];
  const missing: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    if (state.has(name)) return; // done, or a cycle (function declarations hoist, so order does not matter there)
    const skill = helpers.get(name);
    if (!skill) {
      if (!missing.includes(name)) missing.push(name);
      return;
    }
    state.set(name, 'visiting');
    for (const callee of [...(skill.spec.calls ?? [])].sort()) visit(callee);
    state.set(name, 'done');
    order.push(skill);
  };
  for (const name of [...names].sort()) visit(name);
  return { order, missing };
}

/** Map of function name → helper skill (verified ones only unless asked). */
export function helperIndex(skills: readonly PolicySkill[], verifiedOnly = true): Map<string, PolicySkill> {
  const map = new Map<string, PolicySkill>();
  for (const s of skills) if (s.spec.kind === 'helper' && (!verifiedOnly || s.status?.verified === true)) map.set(s.spec.function, s);
  return map;
}

/**
 * Prepends to `javascript` the code of exactly the library helpers it calls, transitively via `calls`,
 * callees first. Names the script declares itself are its own and are left alone (a helper that calls
 * such a name then calls the script's version).
 */
export function inlineHelpers(javascript: string, skills: readonly PolicySkill[], options: InlineOptions = {}): Inlined {
  const helpers = helperIndex(skills, options.verifiedOnly !== false);
  const { used, declared } = scanNames(javascript);
  const direct = [...used].filter((name) => helpers.has(name) && !declared.has(name));
  if (direct.length === 0) return { javascript, used: [], missing: [] };
  const own = new Map([...helpers].filter(([name]) => !declared.has(name)));
  const closure = helperClosure(direct, own);
  const order = closure.order;
  // A callee the script declares itself is its own (function declarations share the script's scope).
  const missing = closure.missing.filter((name) => !declared.has(name));
  const code = order.map((s) => s.spec.code.trim()).join('\n');
  const names = order.map((s) => s.spec.function);
  return { javascript: `// gptpolicy skills: ${names.join(', ')}\n${code}\n// end of gptpolicy skills\n${javascript}`, used: names, missing };
}
