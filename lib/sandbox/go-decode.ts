// The json.Unmarshal that jsPolicy's handler applies to JSON.stringify(__response) (pkg/webhook/handler.go
// Response), reduced to what a policy can get wrong: a wrongly typed field fails the whole request with
// Go's own error text ("json: cannot unmarshal number into Go struct field Response.message of type string").

type GoField = 'bool' | 'string' | 'int' | 'map' | 'stringSlice';

const RESPONSE_FIELDS: Readonly<Record<string, GoField>> = {
  deny: 'bool',
  reason: 'string',
  message: 'string',
  code: 'int',
  patched: 'map',
  warnings: 'stringSlice',
  reschedule: 'bool',
};

const GO_TYPE_NAME: Readonly<Record<GoField, string>> = {
  bool: 'bool',
  string: 'string',
  int: 'int',
  map: 'map[string]interface {}',
  stringSlice: '[]string',
};

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function fieldError(value: unknown, field: string, type: string): string {
  return `json: cannot unmarshal ${value} into Go struct field Response.${field} of type ${type}`;
}

/** Go's first type error for `response` (a JSON-parsed object, keys in the order JSON.stringify wrote them). */
export function responseTypeError(response: Readonly<Record<string, unknown>>): string | undefined {
  for (const [key, value] of Object.entries(response)) {
    const field = RESPONSE_FIELDS[key];
    if (field === undefined || value === null) continue;
    switch (field) {
      case 'bool':
      case 'string':
        if (jsonKind(value) !== field) return fieldError(jsonKind(value), key, GO_TYPE_NAME[field]);
        break;
      case 'int': {
        if (typeof value !== 'number') return fieldError(jsonKind(value), key, 'int');
        const text = String(value); // V8's number text is what Go's decoder read
        if (!/^-?\d+$/.test(text) || BigInt(text) < INT64_MIN || BigInt(text) > INT64_MAX) return fieldError(`number ${text}`, key, 'int');
        break;
      }
      case 'map':
        if (jsonKind(value) !== 'object') return fieldError(jsonKind(value), key, GO_TYPE_NAME.map);
        break;
      case 'stringSlice':
        if (!Array.isArray(value)) return fieldError(jsonKind(value), key, GO_TYPE_NAME.stringSlice);
        for (const item of value) {
          if (item !== null && typeof item !== 'string') return fieldError(jsonKind(item), key, 'string');
        }
        break;
    }
  }
  return undefined;
}

/** A JSON value as Go's json.Marshal of map[string]interface{} writes it: keys sorted at every level. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}
