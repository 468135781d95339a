// What apiextensions-apiserver does with a custom resource and the structural schema of the version
// it is written in (k8s.io/apiextensions-apiserver v0.36, kube-openapi 43fb72c): read from that source.
//
// - coerce(): what the request decoder does before admission and again to a mutating webhook's patch
//   (customresource_handler.go unstructuredSchemaCoercer.apply): pruning of unknown fields
//   (schema/pruning/algorithm.go), removal of nulls from non-nullable fields without a default
//   (schema/defaulting/prunenulls.go), and ObjectMeta at the root and in embedded resources taken
//   through metav1.ObjectMeta (schema/objectmeta), which drops what ObjectMeta does not know.
// - validate(): kube-openapi's SchemaValidator (pkg/validation/validate) with its errors mapped to field
//   errors as apiserver/validation/validation.go kubeOpenAPIResultToFieldErrors does, ratcheting
//   unchanged values on updates (apiserver/validation/ratcheting.go, CRDValidationRatcheting is on by
//   default), then the embedded-resource checks (schema/objectmeta/validation.go).
//
// Not done: defaulting, x-kubernetes-validations (CEL), x-kubernetes-list-type set/map uniqueness,
// allOf/anyOf/oneOf/not, most string formats (see FORMAT_CHECKS), ObjectMeta validation of names.
import { isIPv6 } from 'node:net';
import { goQuote } from '../../../lib/jspolicy/validate-spec.ts';
import { fieldError, goFloat, goJson, goNumber, isGoInteger, type FieldError } from './field-errors.ts';
import { jsonEqual } from '../../../lib/util/json-equal.ts';

/** A JSONSchemaProps node of a structural schema, as the CRD spells it. */
export interface Schema {
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  default?: unknown;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
}

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const embedded = (s: Schema | null): boolean => s?.['x-kubernetes-embedded-resource'] === true;
const preserves = (s: Schema | null): boolean => s?.['x-kubernetes-preserve-unknown-fields'] === true;

/** Structural.AdditionalProperties: absent → undefined; `true` → null (kept, with no schema below); a schema → itself. */
function additional(s: Schema): Schema | null | undefined {
  const ap = s.additionalProperties;
  if (ap === undefined || ap === false) return undefined;
  return ap === true ? null : ap;
}

function property(s: Schema, key: string): Schema | undefined {
  return s.properties && Object.prototype.hasOwnProperty.call(s.properties, key) ? s.properties[key] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Pruning and coercion

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** pruning.prune: drops fields the schema does not specify; `pruned` collects their paths. */
function prune(x: Json, s: Schema | null, path: string, pruned: string[]): void {
  if (s && preserves(s)) {
    skipPrune(x, s, path, pruned);
    return;
  }
  if (isObject(x)) {
    for (const key of Object.keys(x)) {
      if (s && embedded(s) && META_FIELDS.has(key)) continue;
      const child = s ? property(s, key) : undefined;
      const ap = s ? additional(s) : undefined;
      if (child) prune(x[key], child, join(path, key), pruned);
      else if (ap !== undefined) prune(x[key], ap, join(path, key), pruned);
      else {
        pruned.push(join(path, key));
        delete x[key];
      }
    }
  } else if (Array.isArray(x)) {
    x.forEach((item, i) => prune(item, s?.items ?? null, `${path}[${i}]`, pruned));
  }
}

/** Below x-kubernetes-preserve-unknown-fields unknown fields stay, but specified ones are still pruned. */
function skipPrune(x: Json, s: Schema, path: string, pruned: string[]): void {
  if (isObject(x)) {
    for (const key of Object.keys(x)) {
      if (embedded(s) && META_FIELDS.has(key)) continue;
      const child = property(s, key);
      const ap = additional(s);
      if (child) prune(x[key], child, join(path, key), pruned);
      else if (ap !== undefined) prune(x[key], ap, join(path, key), pruned);
    }
  } else if (Array.isArray(x) && s.items) {
    x.forEach((item, i) => skipPrune(item, s.items as Schema, `${path}[${i}]`, pruned));
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * defaulting.PruneNonNullableNullsWithoutDefaults. The real server leaves the nulls of fields that
 * have a default for Default() to replace; defaulting is not emulated, so those go too (as if absent).
 */
function pruneNulls(x: Json, s: Schema | null | undefined): void {
  if (isObject(x)) {
    for (const key of Object.keys(x)) {
      const child = s ? (property(s, key) ?? additional(s) ?? undefined) : undefined;
      if (x[key] === null && child && !child.nullable) delete x[key];
      else pruneNulls(x[key], child);
    }
  } else if (Array.isArray(x)) {
    for (const item of x) pruneNulls(item, s?.items);
  }
}

// metav1.ObjectMeta's JSON fields (v0.36); every one is omitempty, creationTimestamp also omitzero.
const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);
const OWNER_REFERENCE_FIELDS = new Set(['apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion']);
const POINTER_FIELDS = new Set(['deletionTimestamp', 'deletionGracePeriodSeconds']);

function isEmptyValue(key: string, value: Json): boolean {
  if (value === null || value === undefined) return true;
  if (POINTER_FIELDS.has(key)) return false;
  if (value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.keys(value).length === 0;
}

/** metadata through metav1.ObjectMeta and back (GetObjectMeta + SetObjectMeta): unknown and empty fields vanish. */
function roundTripObjectMeta(metadata: JsonObject): void {
  for (const key of Object.keys(metadata)) {
    if (!OBJECT_META_FIELDS.has(key) || isEmptyValue(key, metadata[key])) delete metadata[key];
  }
  if (Array.isArray(metadata.ownerReferences)) {
    for (const reference of metadata.ownerReferences) {
      if (!isObject(reference)) continue;
      for (const key of Object.keys(reference)) {
        const value = reference[key];
        if (!OWNER_REFERENCE_FIELDS.has(key) || value === null) delete reference[key];
      }
    }
  }
}

/** objectmeta.Coerce below the root: embedded apiVersion/kind must be strings, embedded metadata is round-tripped. */
function coerceEmbedded(x: Json, s: Schema | null | undefined, path: FieldPath): FieldError | undefined {
  if (!s) return undefined;
  if (isObject(x)) {
    for (const key of Object.keys(x)) {
      const value = x[key];
      if (embedded(s)) {
        if ((key === 'apiVersion' || key === 'kind') && typeof value !== 'string') {
          return fieldError.invalid(path.child(key).toString(), value, 'must be a string');
        }
        if (key === 'metadata' && isObject(value)) roundTripObjectMeta(value);
      }
      const child = property(s, key);
      const ap = additional(s);
      const error = child ? coerceEmbedded(value, child, path.child(key)) : ap !== undefined ? coerceEmbedded(value, ap, path.key(key)) : undefined;
      if (error) return error;
    }
  } else if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const error = coerceEmbedded(x[i], s.items, path.index(i));
      if (error) return error;
    }
  }
  return undefined;
}

export interface CoerceResult {
  /** Paths of the fields pruning dropped (what fieldValidation=Warn would warn about). */
  pruned: string[];
  /** A decoding error (embedded apiVersion/kind not strings): the request answers 400. */
  error?: FieldError;
}

/**
 * The decoder's coercion of a custom resource, in place: pruning (unless the CRD sets
 * spec.preserveUnknownFields), non-nullable nulls, embedded ObjectMeta/TypeMeta, and the root
 * metadata through ObjectMeta.
 */
export function coerce(object: JsonObject, schema: Schema, options: { preserveUnknownFields?: boolean } = {}): CoerceResult {
  const pruned: string[] = [];
  if (!options.preserveUnknownFields) {
    // PruneWithOptions(isResourceRoot=true): the root keeps apiVersion, kind and metadata.
    prune(object, { ...schema, 'x-kubernetes-embedded-resource': true }, '', pruned);
    pruneNulls(object, schema);
  }
  const error = coerceEmbedded(object, schema, FieldPath.root());
  if (isObject(object.metadata)) roundTripObjectMeta(object.metadata);
  return { pruned, error };
}

// ---------------------------------------------------------------------------------------------
// Validation (kube-openapi)

/** An error of kube-openapi's result: an errors.Validation, or a plain error (`plain`). */
interface OpenApiError {
  code: 'required' | 'enum' | 'tooLong' | 'maxItems' | 'tooManyProperties' | 'invalidType' | 'other' | 'plain';
  /** errors.Validation.Name: the kube-openapi path. */
  name: string;
  value?: Json;
  values?: Json[];
  valid?: number;
  message: string;
}

const IN = 'body';

function invalidType(name: string, typeName: string, value: string): OpenApiError {
  return { code: 'invalidType', name, value, message: `${name} in ${IN} must be of type ${typeName}: ${goQuote(value)}` };
}

function other(name: string, value: Json, message: string): OpenApiError {
  return { code: 'other', name, value, message };
}

type Kind = 'null' | 'boolean' | 'string' | 'integer' | 'number' | 'array' | 'object';

/** What reflect sees in a value decoded into unstructured content. */
function kindOf(value: Json): Kind {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return isGoInteger(value) ? 'integer' : 'number';
  return Array.isArray(value) ? 'array' : 'object';
}

/** typeValidator.schemaInfoForType: the schema type and format of a value. */
const GO_FORMAT: Partial<Record<Kind, string>> = { integer: 'int64', number: 'float64' };

// Formats left by StripUnsupportedFormatsPostProcess (compatibility version 1.0), dashes removed.
const STRING_FORMATS = new Set(
  'bsonobjectid uri email hostname ipv4 ipv6 cidr mac uuid uuid3 uuid4 uuid5 isbn isbn10 isbn13 creditcard ssn hexcolor rgbcolor byte password date duration datetime'.split(' '),
);

function typesOf(s: Schema): string[] {
  if (s['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return s.type ? [s.type] : [];
}

/** The format after StripUnsupportedFormatsPostProcess. */
function formatOf(s: Schema, types: string[]): string {
  const format = s.format ?? '';
  if (!format) return '';
  const single = types.length === 1 ? types[0] : '';
  if (single === '' || single === 'string') return STRING_FORMATS.has(format.replace(/-/g, '')) ? format : '';
  if (single === 'integer') return format === 'int32' || format === 'int64' ? format : '';
  if (single === 'number') return format === 'float' || format === 'double' ? format : '';
  return '';
}

function isDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isIPv4(text: string): boolean {
  // netutils.ParseIPSloppy (leading zeros allowed) and a dot, so IPv4-mapped IPv6 passes too.
  if (!text.includes('.')) return false;
  const parts = text.split('.');
  if (parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return true;
  return isIPv6(text);
}

/** strfmt checks implemented here; the other supported formats are accepted unchecked. */
const FORMAT_CHECKS: Record<string, (text: string) => boolean> = {
  date: isDate,
  datetime: (text) => {
    if (text.length < 4) return false;
    const parts = text.toLowerCase().split('t');
    if (parts.length < 2 || !isDate(parts[0])) return false;
    const match = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/.exec(parts[1]);
    return !!match && match[1] <= '23' && match[2] <= '59' && match[3] <= '59';
  },
  uuid: (text) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(text),
  uuid3: (text) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(text),
  uuid4: (text) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(text),
  uuid5: (text) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(text),
  byte: (text) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.test(text),
  hexcolor: (text) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(text),
  ipv4: isIPv4,
  ipv6: (text) => isIPv6(text),
  password: () => true,
};

const patternCache = new Map<string, RegExp | null>();

/** A Go RE2 pattern as a JS RegExp (unicode mode when it compiles); null when neither compiles. */
function compilePattern(pattern: string): RegExp | null {
  if (patternCache.has(pattern)) return patternCache.get(pattern) ?? null;
  let source = pattern;
  let flags = 'u';
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    if (inline[1].includes('i')) flags += 'i';
    if (inline[1].includes('m')) flags += 'm';
    if (inline[1].includes('s')) flags += 's';
  }
  source = source.replace(/\\A/g, '^').replace(/\\z/g, '$');
  let compiled: RegExp | null = null;
  for (const candidate of [flags, flags.replace('u', '')]) {
    try {
      compiled = new RegExp(source, candidate);
      break;
    } catch {
      // try the next flags
    }
  }
  patternCache.set(pattern, compiled);
  return compiled;
}

/** swag.FormatFloat64 / FormatInt64: the string IsValueValidAgainstRange parses back. */
function numberText(value: number): string {
  if (isGoInteger(value)) return BigInt(value).toString();
  const fixed = Math.abs(value) >= 1e21 ? BigInt(Math.trunc(value)).toString() : String(value);
  return fixed.includes('e') ? value.toFixed(20).replace(/\.?0+$/, '') : fixed;
}

/** validate.IsValueValidAgainstRange: a number that does not fit the schema's type/format (a plain error). */
function rangeError(value: number, typeName: string, format: string, prefix: string, path: string): OpenApiError | undefined {
  const text = numberText(value);
  let ok = true;
  if (typeName === 'integer') {
    const integral = /^-?\d+$/.test(text);
    const big = integral ? BigInt(text) : 0n;
    ok = format === 'int32' ? integral && big >= -(2n ** 31n) && big < 2n ** 31n : integral && big >= -(2n ** 63n) && big < 2n ** 63n;
  } else if (format === 'float' || format === 'float32') {
    ok = Math.abs(value) <= 3.4028234663852886e38;
  }
  if (ok) return undefined;
  const message = format
    ? `${prefix} value must be of type ${typeName} with format ${format} in ${path}`
    : `${prefix} value must be of type ${typeName} (default format) in ${path}`;
  return { code: 'plain', name: path, message };
}

/** The old value correlated with a node, for ratcheting. */
interface Correlation {
  old: Json;
}

function correlateKey(correlation: Correlation | undefined, value: Json, key: string, schema: Schema | null | undefined): Correlation | undefined {
  if (!correlation || !schema || !isObject(value) || !isObject(correlation.old)) return undefined;
  if (!(key in value) || !(key in correlation.old)) return undefined;
  return { old: correlation.old[key] };
}

/** Only x-kubernetes-list-type=map lists correlate items (by their keys); other lists do not ratchet per item. */
function correlateIndex(correlation: Correlation | undefined, list: Json[], index: number, s: Schema): Correlation | undefined {
  if (!correlation || !Array.isArray(correlation.old) || !s.items) return undefined;
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  if (s['x-kubernetes-list-type'] !== 'map' || keys.length === 0) return undefined;
  const keyOf = (item: Json): string | undefined => {
    if (!isObject(item)) return undefined;
    const values = keys.map((key) => (key in item ? item[key] : (property(s.items as Schema, key)?.default ?? undefined)));
    return values.some((v) => v === undefined) ? undefined : JSON.stringify(values);
  };
  const wanted = keyOf(list[index]);
  if (wanted === undefined) return undefined;
  const match = correlation.old.find((item) => keyOf(item) === wanted);
  return match === undefined ? undefined : { old: match };
}

function childName(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** SchemaValidator.Validate for one node: its validators in kube-openapi's order, then ratcheting. */
function validateNode(data: Json, s: Schema, path: string, correlation: Correlation | undefined): OpenApiError[] {
  const errors: OpenApiError[] = [];
  const types = typesOf(s);
  const format = formatOf(s, types);
  const kind = kindOf(data);

  if (kind === 'null') {
    if (types.length > 0 && !types.includes('null') && !s.nullable) errors.push(invalidType(path, types.join(','), 'null'));
    errors.push(...enumErrors(data, s, path));
    return ratchet(errors, data, correlation);
  }

  // typeValidator
  if (types.length > 0 || format) {
    const schType = kind;
    const goFormat = GO_FORMAT[kind] ?? '';
    const isIntFloat = schType === 'integer' && types.includes('number');
    if (kind !== 'string' && kind !== 'array' && format && !(types.includes(schType) || goFormat === format || isIntFloat)) {
      errors.push(invalidType(path, format, goFormat));
    } else if (!(types.includes('number') || types.includes('integer')) && format && (kind === 'string' || kind === 'array')) {
      // a string format accepts strings (and, as kube-openapi has it, arrays) here
    } else if (!(types.includes(schType) || isIntFloat)) {
      errors.push(invalidType(path, types.join(','), schType));
    }
  }

  // stringValidator: the first failing check only
  if (kind === 'string') {
    const text = data as string;
    const length = [...text].length;
    if (s.maxLength !== undefined && length > s.maxLength) {
      errors.push({ code: 'tooLong', name: path, value: text, valid: s.maxLength, message: `${path} in ${IN} should be at most ${s.maxLength} chars long` });
    } else if (s.minLength !== undefined && length < s.minLength) {
      errors.push(other(path, text, `${path} in ${IN} should be at least ${s.minLength} chars long`));
    } else if (s.pattern) {
      const re = compilePattern(s.pattern);
      if (re && !re.test(text)) errors.push(other(path, text, `${path} in ${IN} should match '${s.pattern}'`));
    }
    // formatValidator
    const check = format ? FORMAT_CHECKS[format.replace(/-/g, '')] : undefined;
    if (check && !check(text)) errors.push(invalidType(path, format, text));
  }

  // numberValidator
  if (kind === 'integer' || kind === 'number') errors.push(...numberErrors(data as number, kind, s, types, path));

  // schemaSliceValidator
  if (kind === 'array') {
    const list = data as Json[];
    if (s.items) list.forEach((item, i) => errors.push(...validateNode(item, s.items as Schema, `${path}[${i}]`, correlateIndex(correlation, list, i, s))));
    if (s.minItems !== undefined && list.length < s.minItems) {
      errors.push(other(path, list.length, `${path} in ${IN} should have at least ${s.minItems} items`));
    }
    if (s.maxItems !== undefined && list.length > s.maxItems) {
      errors.push({ code: 'maxItems', name: path, value: list.length, valid: s.maxItems, message: `${path} in ${IN} should have at most ${s.maxItems} items` });
    }
  }

  // basicCommonValidator
  errors.push(...enumErrors(data, s, path));

  // objectValidator
  if (kind === 'object') errors.push(...objectErrors(data as JsonObject, s, path, correlation));

  return ratchet(errors, data, correlation);
}

/** Errors of a node whose value equals its correlated old value are only warnings (CRDValidationRatcheting). */
function ratchet(errors: OpenApiError[], data: Json, correlation: Correlation | undefined): OpenApiError[] {
  if (errors.length === 0 || !correlation) return errors;
  const unchanged = (data ?? null) === null ? (correlation.old ?? null) === null : jsonEqual(data, correlation.old);
  return unchanged ? [] : errors;
}

function enumErrors(data: Json, s: Schema, path: string): OpenApiError[] {
  if (!s.enum || s.enum.length === 0) return [];
  if (data !== null && data !== undefined && s.enum.some((allowed) => jsonEqual(allowed, data))) return [];
  const values = s.enum;
  return [{ code: 'enum', name: path, value: data ?? null, values, message: `${path} in ${IN} should be one of ${goJson(values)}` }];
}

function numberErrors(value: number, kind: 'integer' | 'number', s: Schema, types: string[], path: string): OpenApiError[] {
  const typeName = types.length === 1 && (types[0] === 'integer' || types[0] === 'number') ? types[0] : '';
  let format = '';
  if (typeName === 'integer' && (s.format === 'int32' || s.format === 'int64')) format = s.format;
  if (typeName === 'number' && (s.format === 'float' || s.format === 'double')) format = s.format;
  const errors: OpenApiError[] = [];
  const checked = rangeError(value, typeName, format, 'Checked', path);
  if (checked) errors.push(checked);

  // A bound that fits the schema's type is compared natively (an int64 value against int64(bound),
  // truncated); one that does not is reported and compared as float64.
  const native = (limit: number, label: string, into: OpenApiError[]): { limit: number; show: string } => {
    const problem = rangeError(limit, typeName, format, label, path);
    if (problem) into.push(problem);
    if (kind === 'integer' && !problem) return { limit: Math.trunc(limit), show: goNumber(Math.trunc(limit)) };
    return { limit, show: goFloat(limit) };
  };

  const multiple: OpenApiError[] = [];
  if (s.multipleOf !== undefined) {
    const nativeInt = kind === 'integer' && !rangeError(s.multipleOf, typeName, format, 'MultipleOf', path);
    const { limit: factor, show } = native(s.multipleOf, 'MultipleOf', multiple);
    if (factor <= 0) multiple.push(other(path, factor, `factor MultipleOf declared for ${path} must be positive: ${show}`));
    else {
      const ratio = nativeInt ? value / factor : factor < 1 ? (1 / factor) * value : value / factor;
      if (!Number.isInteger(ratio)) multiple.push(other(path, value, `${path} in ${IN} should be a multiple of ${show}`));
    }
  }
  const minimum: OpenApiError[] = [];
  if (s.minimum !== undefined) {
    const { limit, show } = native(s.minimum, 'Minimum boundary', minimum);
    const exclusive = s.exclusiveMinimum === true;
    if (exclusive ? value <= limit : value < limit) {
      minimum.push(other(path, value, `${path} in ${IN} should be greater than ${exclusive ? '' : 'or equal to '}${show}`));
    }
  }
  const maximum: OpenApiError[] = [];
  if (s.maximum !== undefined) {
    const { limit, show } = native(s.maximum, 'Maximum boundary', maximum);
    const exclusive = s.exclusiveMaximum === true;
    if (exclusive ? value >= limit : value > limit) {
      maximum.push(other(path, value, `${path} in ${IN} should be less than ${exclusive ? '' : 'or equal to '}${show}`));
    }
  }
  return [...errors, ...multiple, ...minimum, ...maximum];
}

function objectErrors(data: JsonObject, s: Schema, path: string, correlation: Correlation | undefined): OpenApiError[] {
  const errors: OpenApiError[] = [];
  const size = Object.keys(data).length;
  if (s.minProperties !== undefined && size < s.minProperties) {
    errors.push(other(path, size, `${path} in ${IN} should have at least ${s.minProperties} properties`));
  }
  if (s.maxProperties !== undefined && size > s.maxProperties) {
    errors.push({ code: 'tooManyProperties', name: path, value: size, valid: s.maxProperties, message: `${path} in ${IN} should have at most ${s.maxProperties} properties` });
  }
  const ap = additional(s);
  if (ap) {
    for (const key of Object.keys(data)) {
      if (property(s, key)) continue;
      errors.push(...validateNode(data[key], ap, `${path}.${key}`, correlateKey(correlation, data, key, ap)));
    }
  }
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    if (!(name in data)) continue;
    // The root's apiVersion and kind are never ratcheted (isTypeMetaField).
    const typeMeta = path === '' && (name === 'apiVersion' || name === 'kind');
    errors.push(...validateNode(data[name], child, childName(path, name), typeMeta ? undefined : correlateKey(correlation, data, name, child)));
  }
  for (const name of s.required ?? []) {
    if (!(name in data)) errors.push({ code: 'required', name: `${path}.${name}`, message: `${path}.${name} in ${IN} is required` });
  }
  return errors;
}

/** kubeOpenAPIResultToFieldErrors. */
function toFieldErrors(fieldPath: string, errors: OpenApiError[]): FieldError[] {
  return errors.map((error) => {
    if (error.code === 'plain') return fieldError.invalid(fieldPath, '', error.message);
    const name = error.name.replace(/^\./, '');
    const field = error.name.length > 0 && error.name !== '.' ? (fieldPath ? `${fieldPath}.${name}` : name) : fieldPath;
    const value = error.value === undefined || error.value === null ? '' : error.value;
    switch (error.code) {
      case 'required':
        return fieldError.required(field);
      case 'enum':
        return fieldError.notSupported(field, error.value ?? null, (error.values ?? []).map((v) => (typeof v === 'string' ? v : goJson(v))));
      case 'tooLong':
        return fieldError.tooLong(field, error.valid ?? -1);
      case 'maxItems':
      case 'tooManyProperties':
        return fieldError.tooMany(field, typeof error.value === 'number' ? error.value : -1, error.valid ?? -1);
      case 'invalidType':
        return fieldError.typeInvalid(field, value, error.message);
      default:
        return fieldError.invalid(field, value, error.message);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Embedded resources (schema/objectmeta/validation.go)

/** field.Path, enough for Child/Key/Index and String. */
export class FieldPath {
  private constructor(private readonly text: string) {}
  static root(): FieldPath {
    return new FieldPath('');
  }
  child(name: string): FieldPath {
    return new FieldPath(this.text ? `${this.text}.${name}` : name);
  }
  key(name: string): FieldPath {
    return new FieldPath(`${this.text}[${name}]`);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }
  toString(): string {
    return this.text;
  }
}

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

function validateEmbeddedResource(path: FieldPath, x: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  if (!('apiVersion' in x)) errors.push(fieldError.required(path.child('apiVersion').toString()));
  if (!('kind' in x)) errors.push(fieldError.required(path.child('kind').toString()));
  for (const [key, value] of Object.entries(x)) {
    if (key === 'apiVersion') {
      const at = path.child('apiVersion').toString();
      if (typeof value !== 'string') errors.push(fieldError.invalid(at, value, 'must be a string'));
      else if (value.length === 0) errors.push(fieldError.invalid(at, value, 'must not be empty'));
      else if (value !== '/' && (value.match(/\//g) ?? []).length > 1) errors.push(fieldError.invalid(at, value, `unexpected GroupVersion string: ${value}`));
    } else if (key === 'kind') {
      const at = path.child('kind').toString();
      if (typeof value !== 'string') errors.push(fieldError.invalid(at, value, 'must be a string'));
      else if (value.length === 0) errors.push(fieldError.invalid(at, value, 'must not be empty'));
      else {
        const lower = value.toLowerCase();
        const problems = [...(lower.length > 63 ? ['must be no more than 63 characters'] : []), ...(DNS1035.test(lower) ? [] : [DNS1035_MESSAGE])];
        if (problems.length > 0) errors.push(fieldError.invalid(at, value, `may have mixed case, but should otherwise match: ${problems.join(',')}`));
      }
    }
  }
  return errors;
}

function validateEmbedded(x: Json, s: Schema | null | undefined, path: FieldPath): FieldError[] {
  if (!s) return [];
  const errors: FieldError[] = [];
  if (isObject(x)) {
    if (embedded(s)) errors.push(...validateEmbeddedResource(path, x));
    for (const [key, value] of Object.entries(x)) {
      const child = property(s, key);
      const ap = additional(s);
      if (child) errors.push(...validateEmbedded(value, child, path.child(key)));
      else if (ap !== undefined) errors.push(...validateEmbedded(value, ap, path.key(key)));
    }
  } else if (Array.isArray(x)) {
    x.forEach((item, i) => errors.push(...validateEmbedded(item, s.items, path.index(i))));
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Entry points

/**
 * customResourceStrategy.Validate / ValidateUpdate: the whole object against the root schema
 * (ratcheted against `old` on updates), then the embedded resources (never ratcheted).
 */
export function validateCustomResource(object: JsonObject, schema: Schema, old?: JsonObject): FieldError[] {
  const correlation = old ? { old } : undefined;
  return [...toFieldErrors('', validateNode(object, schema, '', correlation)), ...validateEmbedded(object, schema, FieldPath.root())];
}

/**
 * statusStrategy.ValidateUpdate (customResourceValidator.ValidateStatusUpdate): only .status, against
 * the status schema, reported under "status" (kube-openapi's own messages name the path inside
 * status), ratcheted against the old status. No embedded-resource checks on this path.
 */
export function validateCustomResourceStatus(object: JsonObject, schema: Schema, old: JsonObject): FieldError[] {
  const statusSchema = property(schema, 'status');
  if (!('status' in object) || !statusSchema) return [];
  const correlation = 'status' in old ? { old: old.status } : undefined;
  return toFieldErrors('status', validateNode(object.status, statusSchema, '', correlation));
}
