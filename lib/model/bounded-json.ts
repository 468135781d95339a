// JSON from outside (a model endpoint, a model's answer, the JSON carried in its strings) is parsed
// within a size and a nesting bound: V8's JSON.parse itself copes with deep nesting, but everything
// that walks the value afterwards (JSON.stringify, a status write, a recursive comparison) does not.
// Deeper or larger input is refused before JSON.parse runs, with the path where it went too deep.

export type JsonRead = { ok: true; value: unknown } | { ok: false; problem: string };

export interface JsonBounds {
  /** Characters of the text. */
  maxChars: number;
  /** Objects and arrays inside each other; a flat object is 1. */
  maxDepth: number;
}

/** Parses `text` as JSON within `bounds`; the problem names where and what, never throws. */
export function parseJsonBounded(text: unknown, bounds: JsonBounds): JsonRead {
  if (typeof text !== 'string') return { ok: false, problem: `expected JSON text, got ${describeJson(text)}` };
  if (text.length > bounds.maxChars) return { ok: false, problem: `${text.length} characters, over the ${bounds.maxChars} allowed` };
  const deep = tooDeep(text, bounds.maxDepth);
  if (deep !== undefined) return { ok: false, problem: `nested more than ${bounds.maxDepth} levels deep (at ${deep})` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (thrown) {
    return { ok: false, problem: `not valid JSON (${thrown instanceof Error ? thrown.message : String(thrown)})` };
  }
}

type Frame = { array: true; index: number } | { array: false; key: string | undefined };

/**
 * The path of the first container nested deeper than `maxDepth`, or undefined. A scan of the text
 * that only follows strings and brackets (the syntax is JSON.parse's to judge), tracking keys and
 * indexes so the path can be named.
 */
function tooDeep(text: string, maxDepth: number): string | undefined {
  const stack: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top && !top.array) {
        top.key = decodeKey(text.slice(start, i + 1));
        expectKey = false;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) return jsonPath(stack);
      stack.push(c === 0x5b ? { array: true, index: 0 } : { array: false, key: undefined });
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      else expectKey = true;
    }
  }
  return undefined;
}

function decodeKey(token: string): string {
  try {
    return String(JSON.parse(token));
  } catch {
    return token.slice(1, -1);
  }
}

function jsonPath(stack: readonly Frame[]): string {
  return pathText(stack.map((f) => (f.array ? f.index : (f.key ?? '?'))));
}

/** A path for people and models: plan.resources[0].group, tests[2]["odd key"]; "(the root)" for none. */
export function pathText(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s)}]`;
  }
  return out === '' ? '(the root)' : out;
}

/** What a value is, in a few words and never long: `a string of 12 characters "pods"`, `an array of 3 items`. */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const preview = value.length <= 40 ? JSON.stringify(value) : `starting ${JSON.stringify(value.slice(0, 40))}`;
    return `a string of ${value.length} characters ${preview}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value === 'number' ? 'the number ' : ''}${String(value)}`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length} items`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, 5).map((k) => (k.length > 30 ? `${k.slice(0, 30)}…` : k));
    return `an object with ${keys.length > 5 ? `${keys.length} keys, first ` : 'keys '}${shown.join(', ')}`;
  }
  return typeof value;
}
