// apimachinery's field.Error (k8s.io/apimachinery v0.36 pkg/util/validation/field/errors.go) as its
// Error() prints it: "<field>: <type>[: <value>][: <detail>]". Values are rendered the way ErrorBody
// does since Kubernetes 1.34: int64/float64/bool with %v, strings with %q, anything else as JSON.
// (Up to 1.33 other types used %#v, so e.g. the uint64 0 of a missing resourceVersion printed 0x0.)
import { goQuote } from '../../../lib/jspolicy/validate-spec.ts';

export type FieldErrorType = 'Required' | 'Invalid' | 'TypeInvalid' | 'NotSupported' | 'TooLong' | 'TooMany' | 'Forbidden';

/** A value as Go holds it after decoding JSON into unstructured content (numbers: see isGoInteger). */
export type GoValue = unknown;

export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: GoValue;
  detail: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  TypeInvalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  TooLong: 'Too long',
  TooMany: 'Too many',
  Forbidden: 'Forbidden',
};

/** A JSON number as Go decodes it into unstructured content: int64 when integral, float64 otherwise. */
export function isGoInteger(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 63;
}

/** strconv.FormatFloat(v, 'g', -1, 64), which fmt's %v uses for float64. */
export function goFloat(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  // Shortest formatting decides with precision 6: %e when exp < -4 || exp >= 6.
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(value);
}

/** fmt's %v for an int64 or float64 held in a JS number. */
export function goNumber(value: number): string {
  return isGoInteger(value) ? BigInt(value).toString() : goFloat(value);
}

function escapeJsonString(text: string): string {
  // encoding/json escapes <, >, & and U+2028/U+2029 besides what JSON requires.
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** encoding/json.Marshal of unstructured content: map keys sorted, HTML characters escaped. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return escapeJsonString(value);
  if (typeof value === 'number') return isGoInteger(value) ? BigInt(value).toString() : JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `{${keys.map((key) => `${escapeJsonString(key)}:${goJson(record[key])}`).join(',')}}`;
}

/** The value part of ErrorBody. */
function renderValue(value: GoValue): string {
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  return goJson(value);
}

export function errorBody(error: FieldError): string {
  let text = TYPE_TEXT[error.type];
  const showsValue = error.type !== 'Required' && error.type !== 'Forbidden' && error.type !== 'TooLong';
  if (showsValue && error.value !== OMIT) text += `: ${renderValue(error.value)}`;
  return error.detail ? `${text}: ${error.detail}` : text;
}

export function renderFieldError(error: FieldError): string {
  return `${error.field}: ${errorBody(error)}`;
}

/** field.omitValue: TooMany with an unknown count prints no value. */
export const OMIT = Symbol('omitValue');

export const fieldError = {
  required: (field: string, detail = ''): FieldError => ({ type: 'Required', field, value: '', detail }),
  invalid: (field: string, value: GoValue, detail: string): FieldError => ({ type: 'Invalid', field, value, detail }),
  typeInvalid: (field: string, value: GoValue, detail: string): FieldError => ({ type: 'TypeInvalid', field, value, detail }),
  /** field.NotSupported: the allowed values are strconv.Quote'd and joined with ", ". */
  notSupported: (field: string, value: GoValue, allowed: string[]): FieldError => ({
    type: 'NotSupported',
    field,
    value,
    detail: allowed.length > 0 ? `supported values: ${allowed.map(goQuote).join(', ')}` : '',
  }),
  /** field.TooLong: the value is never shown. */
  tooLong: (field: string, max: number): FieldError => ({
    type: 'TooLong',
    field,
    value: '<value omitted>',
    detail: max >= 0 ? `may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}` : 'value is too long',
  }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({
    type: 'TooMany',
    field,
    value: actual >= 0 ? actual : OMIT,
    detail: max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items',
  }),
};
