// Go encoding/json, as far as jsPolicy's natives and handler make it observable from JavaScript:
// json.Unmarshal into jsPolicy's structs (type errors with Go's exact messages) and json.Marshal of
// maps (keys sorted). Inputs are always JSON text produced by V8's JSON.stringify, so they parse.

/** The Go types jsPolicy decodes JSON into (pkg/vm/vm.go, pkg/webhook/handler.go). */
export type GoType =
  | { kind: 'bool' | 'string' | 'int' | 'any' }
  | { kind: 'ptr'; elem: GoType }
  | { kind: 'slice'; elem: GoType; name: string }
  | { kind: 'map'; elem: GoType; name: string }
  | { kind: 'struct'; name: string; pkg: string; fields: Record<string, GoType> };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

type Path = { struct: string; fields: string[] } | undefined;

class UnmarshalTypeError {
  constructor(readonly message: string) {}
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

// A *T field reports T in its errors (encoding/json allocates the pointer first).
function goTypeName(type: GoType): string {
  if (type.kind === 'ptr') return goTypeName(type.elem);
  return 'name' in type ? type.name : type.kind === 'any' ? 'interface {}' : type.kind;
}

// Go's UnmarshalTypeError.Error(): "Go struct field S.a.b" once inside a struct, "Go value" at the top.
function typeError(valueDesc: string, type: GoType, path: Path, top: GoType): UnmarshalTypeError {
  const target = path
    ? `Go struct field ${path.struct}.${path.fields.join('.')} of type ${goTypeName(type)}`
    : `Go value of type ${top.kind === 'struct' ? `${top.pkg}.${top.name}` : goTypeName(top)}`;
  return new UnmarshalTypeError(`json: cannot unmarshal ${valueDesc} into ${target}`);
}

/**
 * json.Unmarshal(text, &v) for a value of `type`. Returns the decoded JS value (Go zero values for
 * nulls, unknown struct keys dropped, keys matched case-insensitively as Go does) or Go's error text.
 * Like Go, decoding goes on after a type error and the first error is reported.
 */
export function goUnmarshal(text: string, type: GoType): { value: unknown } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Only JSON.stringify(undefined | function | symbol) reaches here: v8go stringifies it as "undefined".
    return { error: `invalid character '${text[0] ?? ''}' looking for beginning of value` };
  }
  const errors: UnmarshalTypeError[] = [];
  const value = decode(parsed, type, undefined, type, errors);
  return errors.length ? { error: errors[0]!.message } : { value };
}

function zero(type: GoType): unknown {
  switch (type.kind) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'int':
      return 0;
    case 'struct':
      return decode({}, type, undefined, type, []);
    default:
      return null;
  }
}

function decode(value: unknown, type: GoType, path: Path, top: GoType, errors: UnmarshalTypeError[]): unknown {
  if (value === null) return zero(type);
  const fail = (desc: string): unknown => {
    errors.push(typeError(desc, type, path, top));
    return zero(type);
  };
  switch (type.kind) {
    case 'any':
      return value;
    case 'ptr':
      return decode(value, type.elem, path, top, errors);
    case 'bool':
    case 'string':
      return jsonKind(value) === (type.kind === 'bool' ? 'bool' : 'string') ? value : fail(jsonKind(value));
    case 'int': {
      if (typeof value !== 'number') return fail(jsonKind(value));
      const text = String(value); // V8's number text is what Go's decoder saw.
      if (!/^-?\d+$/.test(text) || BigInt(text) < INT64_MIN || BigInt(text) > INT64_MAX) return fail(`number ${text}`);
      return value;
    }
    case 'slice':
      if (!Array.isArray(value)) return fail(jsonKind(value));
      return value.map((item) => decode(item, type.elem, path, top, errors));
    case 'map': {
      if (jsonKind(value) !== 'object') return fail(jsonKind(value));
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as object)) out[key] = decode(item, type.elem, path, top, errors);
      return out;
    }
    case 'struct': {
      if (jsonKind(value) !== 'object') return fail(jsonKind(value));
      const out: Record<string, unknown> = {};
      for (const [name, fieldType] of Object.entries(type.fields)) out[name] = zero(fieldType);
      for (const [key, item] of Object.entries(value as object)) {
        const name = fieldFor(type, key);
        if (name === undefined) continue;
        const fieldPath = { struct: path?.struct ?? type.name, fields: [...(path?.fields ?? []), name] };
        out[name] = decode(item, type.fields[name]!, fieldPath, top, errors);
      }
      return out;
    }
  }
}

// encoding/json prefers an exact key match, then a case-insensitive one.
function fieldFor(type: { fields: Record<string, GoType> }, key: string): string | undefined {
  if (Object.hasOwn(type.fields, key)) return key;
  return Object.keys(type.fields).find((name) => name.toLowerCase() === key.toLowerCase());
}

/**
 * A JSON value as Go's json.Marshal of a map[string]interface{} writes it: keys sorted at every
 * level, lone surrogates replaced (Go decoded them to U+FFFD on the way in).
 */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'string') return wellFormed(value);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[wellFormed(key)] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
