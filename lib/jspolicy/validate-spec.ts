// jsPolicy's own JsPolicy validation, as its `/crds` validating webhook (webhook "jspolicy.jspolicy.com")
// applies it on CREATE and UPDATE. The rules and messages are copied from loft-sh/jspolicy d524b26
// (pkg/webhook/validation/generic.go + validation.go) and the apimachinery v0.23 helpers it uses
// (util/validation IsFullyQualifiedName / IsQualifiedName / IsValidLabelValue, field.Error, errors.Aggregate).
// Runtime-neutral: runs in jsPolicy's V8 9.6 and in Node.
//
// Two layers, kept apart because two different components reject them in a real cluster:
//   validateJsPolicy       — what the webhook denies (reason Forbidden, message = formatDenial(errors));
//   validateJsPolicyTypes  — what the API server's CRD schema rejects before any webhook runs
//                            (a field of the wrong JSON type), in the apiextensions message form.

export interface FieldError {
  /** Field path as the webhook prints it, e.g. "spec.rules.operations[0]" or "metadata.name". */
  field: string;
  /** The error body without the field, e.g. 'Unsupported value: "deny": supported values: …'. */
  message: string;
}

/** Name of jsPolicy's JsPolicy-validating webhook (the API server quotes it in denials). */
export const JSPOLICY_VALIDATION_WEBHOOK = 'jspolicy.jspolicy.com';
/** The status reason the webhook answers with when it rejects a JsPolicy. */
export const JSPOLICY_VALIDATION_REASON = 'Forbidden';

// ---------------------------------------------------------------------------------------------
// Go formatting helpers (field.Error.ErrorBody with the value printed as fmt does)

/** strconv.Quote, close enough for policy values (printable Unicode is kept, controls escaped). */
export function goQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s.charAt(i);
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + (c < 16 ? '0' : '') + c.toString(16);
    else out += ch;
  }
  return out + '"';
}

/** A value as field.Error prints it: strings quoted, numbers plain, slices as Go's %#v. */
type GoValue = { str: string } | { num: number } | { slice: string[]; elemType: string } | { raw: string };

function showValue(v: GoValue): string {
  if ('str' in v) return goQuote(v.str);
  if ('num' in v) return String(v.num);
  if ('slice' in v) return `[]${v.elemType}{${v.slice.map(goQuote).join(', ')}}`;
  return v.raw;
}

const required = (field: string, detail = ''): FieldError => ({
  field,
  message: 'Required value' + (detail ? ': ' + detail : ''),
});
const forbidden = (field: string, detail: string): FieldError => ({ field, message: 'Forbidden: ' + detail });
const invalid = (field: string, value: GoValue, detail: string): FieldError => ({
  field,
  message: 'Invalid value: ' + showValue(value) + (detail ? ': ' + detail : ''),
});
const notSupported = (field: string, value: GoValue, valid: string[]): FieldError => ({
  field,
  message:
    'Unsupported value: ' + showValue(value) + (valid.length ? ': supported values: ' + valid.map(goQuote).join(', ') : ''),
});

// ---------------------------------------------------------------------------------------------
// apimachinery util/validation

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + '(\\.' + DNS1123_LABEL_FMT + ')*';
const DNS1123_SUBDOMAIN_RE = new RegExp('^' + DNS1123_SUBDOMAIN_FMT + '$');
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QNAME_RE = new RegExp('^' + QNAME_FMT + '$');
const QNAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = '(' + QNAME_FMT + ')?';
const LABEL_VALUE_RE = new RegExp('^' + LABEL_VALUE_FMT + '$');
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return msg + " (regex used for validation is '" + fmt + "')";
  let out = msg + ' (e.g. ';
  examples.forEach((e, i) => {
    if (i > 0) out += ' or ';
    out += "'" + e + "', ";
  });
  return out + "regex used for validation is '" + fmt + "')";
}
const maxLenError = (n: number): string => `must be no more than ${n} characters`;

/** Go's len(): UTF-8 bytes. */
function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push('prefix part ' + m);
  } else {
    return [
      'a qualified name ' +
        regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc') +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push('name part ' + maxLenError(63));
  if (!QNAME_RE.test(name)) errs.push('name part ' + regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc'));
  return errs;
}

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** util/validation.IsFullyQualifiedName: DNS-1123 subdomain with at least three segments. */
function isFullyQualifiedName(field: string, name: string): FieldError[] {
  if (name.length === 0) return [required(field)];
  const errs = isDNS1123Subdomain(name);
  if (errs.length > 0) return [invalid(field, { str: name }, errs.join(','))];
  if (name.split('.').length < 3) {
    return [invalid(field, { str: name }, 'should be a domain with at least three segments separated by dots')];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Decoding (the webhook's typed view of the object; wrongly-typed fields are left out here and
// reported by validateJsPolicyTypes)

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function strOrUndef(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
function intOrUndef(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

interface Selector {
  matchLabels: Array<[string, string]>;
  matchExpressions: Array<{ key: string; operator: string; values: string[] }>;
}
function decodeSelector(v: unknown): Selector | undefined {
  if (!isObj(v)) return undefined;
  const matchLabels: Array<[string, string]> = [];
  if (isObj(v.matchLabels)) {
    for (const k of Object.keys(v.matchLabels)) {
      const val = v.matchLabels[k];
      if (typeof val === 'string') matchLabels.push([k, val]);
    }
  }
  const matchExpressions: Selector['matchExpressions'] = [];
  if (Array.isArray(v.matchExpressions)) {
    for (const e of v.matchExpressions) {
      const r = isObj(e) ? e : {};
      matchExpressions.push({
        key: strOrUndef(r.key) ?? '',
        operator: strOrUndef(r.operator) ?? '',
        values: strList(r.values),
      });
    }
  }
  return { matchLabels, matchExpressions };
}

function specOf(policy: unknown): Record<string, unknown> {
  return isObj(policy) && isObj(policy.spec) ? policy.spec : {};
}
function nameOf(policy: unknown): string {
  return isObj(policy) && isObj(policy.metadata) ? strOrUndef(policy.metadata.name) ?? '' : '';
}

// ---------------------------------------------------------------------------------------------
// generic.go

const hasWildcard = (xs: string[]): boolean => xs.indexOf('*') >= 0;

function validateResources(resources: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (resources.length === 0) errs.push(required(path));
  const resourcesWithWildcardSubresources = new Set<string>(); // x/*
  const subResourcesWithWildcardResource = new Set<string>(); // */x
  let hasDoubleWildcard = false;
  let hasSingleWildcard = false;
  let hasResourceWithoutSubresource = false;
  resources.forEach((resSub, i) => {
    if (resSub === '') {
      errs.push(required(`${path}[${i}]`));
      return;
    }
    if (resSub === '*/*') hasDoubleWildcard = true;
    if (resSub === '*') hasSingleWildcard = true;
    const slash = resSub.indexOf('/');
    if (slash < 0) {
      // (sic) jsPolicy overwrites rather than ORs this flag: only the last plain entry counts.
      hasResourceWithoutSubresource = resSub !== '*';
      return;
    }
    const res = resSub.slice(0, slash);
    const sub = resSub.slice(slash + 1);
    if (resourcesWithWildcardSubresources.has(res)) {
      errs.push(invalid(`${path}[${i}]`, { str: resSub }, `if '${res}/*' is present, must not specify ${resSub}`));
    }
    if (subResourcesWithWildcardResource.has(sub)) {
      errs.push(invalid(`${path}[${i}]`, { str: resSub }, `if '*/${sub}' is present, must not specify ${resSub}`));
    }
    if (sub === '*') resourcesWithWildcardSubresources.add(res);
    if (res === '*') subResourcesWithWildcardResource.add(sub);
  });
  if (resources.length > 1 && hasDoubleWildcard) {
    errs.push(invalid(path, { slice: resources, elemType: 'string' }, "if '*/*' is present, must not specify other resources"));
  }
  if (hasSingleWildcard && hasResourceWithoutSubresource) {
    errs.push(
      invalid(path, { slice: resources, elemType: 'string' }, "if '*' is present, must not specify other resources without subresources"),
    );
  }
  return errs;
}

const SUPPORTED_OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const CONTROLLER_OPERATIONS = ['*', 'CREATE', 'DELETE'];
const SUPPORTED_SCOPES = ['*', 'Cluster', 'Namespaced'];
const SUPPORTED_FAILURE_POLICIES = ['Fail', 'Ignore'];
const SUPPORTED_REINVOCATION_POLICIES = ['IfNeeded', 'Never'];
const SUPPORTED_MATCH_POLICIES = ['Equivalent', 'Exact'];
const SUPPORTED_POLICY_TYPES = ['', 'Controller', 'Mutating', 'Validating'];

function validateRuleWithOperations(spec: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = strOrUndef(spec.type) ?? '';
  const operations = strList(spec.operations);
  if (operations.length === 0) errs.push(required(`${path}.operations`));
  if (operations.length > 1 && hasWildcard(operations)) {
    errs.push(
      invalid(`${path}.operations`, { slice: operations, elemType: 'v1.OperationType' }, "if '*' is present, must not specify other operations"),
    );
  }
  operations.forEach((op, i) => {
    if (SUPPORTED_OPERATIONS.indexOf(op) < 0) errs.push(notSupported(`${path}.operations[${i}]`, { str: op }, SUPPORTED_OPERATIONS));
    if (type === 'Controller' && (op === 'UPDATE' || op === 'CONNECT')) {
      errs.push(notSupported(`${path}.operations[${i}]`, { str: op }, CONTROLLER_OPERATIONS));
    }
  });

  // validateRule
  const apiGroups = strList(spec.apiGroups);
  const apiVersions = strList(spec.apiVersions);
  if (apiGroups.length > 1 && hasWildcard(apiGroups)) {
    errs.push(invalid(`${path}.apiGroups`, { slice: apiGroups, elemType: 'string' }, "if '*' is present, must not specify other API groups"));
  }
  if (apiVersions.length > 1 && hasWildcard(apiVersions)) {
    errs.push(
      invalid(`${path}.apiVersions`, { slice: apiVersions, elemType: 'string' }, "if '*' is present, must not specify other API versions"),
    );
  }
  apiVersions.forEach((v, i) => {
    if (v === '') errs.push(required(`${path}.apiVersions[${i}]`));
  });
  errs.push(...validateResources(strList(spec.resources), `${path}.resources`));
  const scope = strOrUndef(spec.scope);
  if (scope !== undefined && SUPPORTED_SCOPES.indexOf(scope) < 0) {
    errs.push(notSupported(`${path}.scope`, { str: scope }, SUPPORTED_SCOPES));
  }
  return errs;
}

function validateLabelName(key: string, path: string): FieldError[] {
  return isQualifiedName(key).map((m) => invalid(path, { str: key }, m));
}

function validateLabelSelector(sel: Selector, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of sel.matchLabels) {
    errs.push(...validateLabelName(k, `${path}.matchLabels`));
    for (const m of isValidLabelValue(v)) errs.push(invalid(`${path}.matchLabels`, { str: v }, m));
  }
  sel.matchExpressions.forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (e.values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (e.values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalid(`${p}.operator`, { str: e.operator }, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(e.key, `${p}.key`));
  });
  return errs;
}

/**
 * What jsPolicy's `/crds` webhook denies for this JsPolicy (CREATE when `old` is absent, UPDATE
 * otherwise), in the webhook's order, with its field paths (rule fields appear as `spec.rules.*`).
 * Fields of the wrong JSON type are ignored here (see validateJsPolicyTypes).
 */
export function validateJsPolicy(policy: unknown, old?: unknown): FieldError[] {
  const spec = specOf(policy);
  const errs: FieldError[] = [];
  errs.push(...isFullyQualifiedName('metadata.name', nameOf(policy)));
  errs.push(...validateRuleWithOperations(spec, 'spec.rules'));
  const type = strOrUndef(spec.type) ?? '';
  if (old !== undefined && old !== null) {
    const oldType = strOrUndef(specOf(old).type) ?? '';
    if (type !== oldType) errs.push(invalid('spec.type', { str: type }, 'type is immutable'));
  }
  const enumField = (key: string, valid: string[]): void => {
    const v = strOrUndef(spec[key]);
    if (v !== undefined && valid.indexOf(v) < 0) errs.push(notSupported(`spec.${key}`, { str: v }, valid));
  };
  enumField('failurePolicy', SUPPORTED_FAILURE_POLICIES);
  enumField('reinvocationPolicy', SUPPORTED_REINVOCATION_POLICIES);
  enumField('matchPolicy', SUPPORTED_MATCH_POLICIES);
  if (type !== '' && SUPPORTED_POLICY_TYPES.indexOf(type) < 0) errs.push(notSupported('spec.type', { str: type }, SUPPORTED_POLICY_TYPES));
  const timeout = intOrUndef(spec.timeoutSeconds);
  if (timeout !== undefined && (timeout > 30 || timeout < 1)) {
    errs.push(invalid('spec.timeoutSeconds', { num: timeout }, 'the timeout value must be between 1 and 30 seconds'));
  }
  const nsSel = decodeSelector(spec.namespaceSelector);
  if (nsSel) errs.push(...validateLabelSelector(nsSel, 'spec.namespaceSelector'));
  const objSel = decodeSelector(spec.objectSelector);
  if (objSel) errs.push(...validateLabelSelector(objSel, 'spec.objectSelector'));
  const auditPolicy = strOrUndef(spec.auditPolicy);
  if (auditPolicy !== undefined && auditPolicy !== 'Log' && auditPolicy !== 'Skip') {
    errs.push(invalid('spec.auditPolicy', { str: auditPolicy }, 'needs to be one of [Log Skip]'));
  }
  const violationPolicy = strOrUndef(spec.violationPolicy);
  if (violationPolicy !== undefined && violationPolicy !== 'Deny' && violationPolicy !== 'Warn' && violationPolicy !== 'Dry') {
    errs.push(invalid('spec.violationPolicy', { str: violationPolicy }, 'needs to be one of [Deny Warn Dry]'));
  }
  const auditLogSize = intOrUndef(spec.auditLogSize);
  if (auditLogSize !== undefined && (auditLogSize <= 0 || auditLogSize > 40)) {
    errs.push(invalid('spec.auditLogSize', { num: auditLogSize }, 'The audit log size needs to be between 1 and 40'));
  }
  return errs;
}

/**
 * The webhook's denial message (admission Result.Message): field.ErrorList.ToAggregate().Error() —
 * duplicates dropped, one error as is, several as "[e1, e2]". Empty string for no errors. The API
 * server shows it to clients as `admission webhook "jspolicy.jspolicy.com" denied the request: <message>`
 * (see formatApiServerDenial).
 */
export function formatDenial(errors: readonly FieldError[]): string {
  const seen = new Set<string>();
  const msgs: string[] = [];
  for (const e of errors) {
    const m = `${e.field}: ${e.message}`;
    if (seen.has(m)) continue;
    seen.add(m);
    msgs.push(m);
  }
  if (msgs.length === 0) return '';
  if (msgs.length === 1) return msgs[0] ?? '';
  return '[' + msgs.join(', ') + ']';
}

/** The denial as a kubectl/create() caller sees it after the API server wraps the webhook answer. */
export function formatApiServerDenial(errors: readonly FieldError[]): string {
  return `admission webhook "${JSPOLICY_VALIDATION_WEBHOOK}" denied the request: ${formatDenial(errors)}`;
}

// ---------------------------------------------------------------------------------------------
// CRD schema types (API server, before the webhook): chart/crds/crds.yaml JsPolicy schema.

type SchemaType = 'string' | 'integer' | 'array' | 'object' | 'stringArray' | 'stringMap' | 'selector';
const SPEC_FIELDS: Record<string, SchemaType> = {
  type: 'string',
  operations: 'stringArray',
  resources: 'stringArray',
  apiGroups: 'stringArray',
  apiVersions: 'stringArray',
  scope: 'string',
  failurePolicy: 'string',
  matchPolicy: 'string',
  reinvocationPolicy: 'string',
  namespaceSelector: 'selector',
  objectSelector: 'selector',
  timeoutSeconds: 'integer',
  violationPolicy: 'string',
  auditPolicy: 'string',
  auditLogSize: 'integer',
  dependencies: 'stringMap',
  javascript: 'string',
};

/** The spec fields the JsPolicy CRD schema knows; anything else is pruned silently by the API server. */
export const JSPOLICY_SPEC_FIELDS: readonly string[] = Object.keys(SPEC_FIELDS);

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeError(field: string, v: unknown, want: string): FieldError {
  const got = jsonType(v);
  return invalid(field, { str: got }, `${field} in body must be of type ${want}: ${goQuote(got)}`);
}

/**
 * Fields of the wrong JSON type, as the API server's CRD validation reports them
 * (`spec.timeoutSeconds: Invalid value: "string": spec.timeoutSeconds in body must be of type integer: "string"`).
 * null values are treated as absent (the API server drops them for these optional fields).
 */
export function validateJsPolicyTypes(policy: unknown): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(policy)) return [typeError('<root>', policy, 'object')];
  if (policy.spec !== undefined && policy.spec !== null && !isObj(policy.spec)) return [typeError('spec', policy.spec, 'object')];
  if (policy.metadata !== undefined && isObj(policy.metadata) && policy.metadata.name !== undefined && typeof policy.metadata.name !== 'string') {
    errs.push(typeError('metadata.name', policy.metadata.name, 'string'));
  }
  const spec = specOf(policy);
  const checkStringMap = (path: string, v: unknown): void => {
    if (!isObj(v)) {
      errs.push(typeError(path, v, 'object'));
      return;
    }
    for (const k of Object.keys(v)) if (typeof v[k] !== 'string') errs.push(typeError(`${path}.${k}`, v[k], 'string'));
  };
  for (const key of Object.keys(spec)) {
    const want = Object.prototype.hasOwnProperty.call(SPEC_FIELDS, key) ? SPEC_FIELDS[key] : undefined;
    const v = spec[key];
    if (want === undefined || v === null || v === undefined) continue;
    const path = `spec.${key}`;
    switch (want) {
      case 'string':
        if (typeof v !== 'string') errs.push(typeError(path, v, 'string'));
        break;
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) errs.push(typeError(path, v, 'integer'));
        break;
      case 'stringArray':
        if (!Array.isArray(v)) errs.push(typeError(path, v, 'array'));
        else v.forEach((x, i) => typeof x !== 'string' && errs.push(typeError(`${path}[${i}]`, x, 'string')));
        break;
      case 'stringMap':
        checkStringMap(path, v);
        break;
      case 'selector':
        if (!isObj(v)) {
          errs.push(typeError(path, v, 'object'));
          break;
        }
        if (v.matchLabels !== undefined && v.matchLabels !== null) checkStringMap(`${path}.matchLabels`, v.matchLabels);
        if (v.matchExpressions !== undefined && v.matchExpressions !== null) {
          if (!Array.isArray(v.matchExpressions)) errs.push(typeError(`${path}.matchExpressions`, v.matchExpressions, 'array'));
          else
            v.matchExpressions.forEach((e, i) => {
              const p = `${path}.matchExpressions[${i}]`;
              if (!isObj(e)) return errs.push(typeError(p, e, 'object'));
              if (typeof e.key !== 'string') errs.push(e.key === undefined ? required(`${p}.key`) : typeError(`${p}.key`, e.key, 'string'));
              if (typeof e.operator !== 'string') {
                errs.push(e.operator === undefined ? required(`${p}.operator`) : typeError(`${p}.operator`, e.operator, 'string'));
              }
              if (e.values !== undefined && e.values !== null) {
                if (!Array.isArray(e.values)) errs.push(typeError(`${p}.values`, e.values, 'array'));
                else e.values.forEach((x, j) => typeof x !== 'string' && errs.push(typeError(`${p}.values[${j}]`, x, 'string')));
              }
              return 0;
            });
        }
        break;
      default:
        break;
    }
  }
  return errs;
}
