// Manifest-level rules: what jsPolicy's /crds webhook (and the CRD schema) rejects, what jsPolicy
// rejects later at run time, and the stricter shape gptpolicy requires of generated policies.
import type { Finding, LintOptions, PolicyView } from './types.ts';
import { isObj, own, strictness } from './types.ts';
import type { FieldError } from '../jspolicy/validate-spec.ts';
import { JSPOLICY_SPEC_FIELDS, validateJsPolicy, validateJsPolicyTypes } from '../jspolicy/validate-spec.ts';

type SchemaRule = (policy: PolicyView, options: LintOptions) => Finding[];

const FIELD_HINTS: Record<string, string> = {
  name: 'metadata.name must be a lower-case DNS name with at least three dot-separated parts, e.g. "deny-privileged-pods.policies.example.com".',
  operations: 'spec.operations takes upper-case CREATE, UPDATE, DELETE, CONNECT, or ["*"] alone; Controller policies accept only CREATE, DELETE or "*".',
  resources: 'spec.resources takes plural lower-case resource names such as "pods" or "deployments" (optionally "pods/status"); "*" or "*/*" must stand alone.',
  apiGroups: 'spec.apiGroups lists API groups ("" for core, "apps", …); "*" must stand alone.',
  apiVersions: 'spec.apiVersions lists versions such as "v1"; "*" must stand alone; no empty entries.',
  scope: 'spec.scope is exactly one of "Cluster", "Namespaced", "*".',
  type: 'spec.type is exactly "Validating", "Mutating" or "Controller" (case-sensitive) and can never change after creation: keep the existing type or use a new policy name.',
  failurePolicy: 'spec.failurePolicy is exactly "Fail" or "Ignore".',
  matchPolicy: 'spec.matchPolicy is exactly "Exact" or "Equivalent".',
  reinvocationPolicy: 'spec.reinvocationPolicy is exactly "Never" or "IfNeeded".',
  timeoutSeconds: 'spec.timeoutSeconds is an integer from 1 to 30 (default 10).',
  auditPolicy: 'spec.auditPolicy is exactly "Log" or "Skip" (case-sensitive).',
  violationPolicy: 'spec.violationPolicy is exactly "Deny", "Warn" or "Dry" (capitalised).',
  auditLogSize: 'spec.auditLogSize is an integer from 1 to 40.',
  namespaceSelector: 'Label selectors: matchLabels maps valid label keys to valid values; matchExpressions items need key, operator In/NotIn (with values) or Exists/DoesNotExist (without values).',
  objectSelector: 'Label selectors: matchLabels maps valid label keys to valid values; matchExpressions items need key, operator In/NotIn (with values) or Exists/DoesNotExist (without values).',
  dependencies: 'spec.dependencies maps npm package names to version strings.',
  javascript: 'spec.javascript is a string.',
};

/** "spec.rules.operations[0]" → "spec.operations[0]": the manifest path of a webhook error. */
function manifestPath(field: string): string {
  return field.replace(/^spec\.rules\./, 'spec.');
}

function hintFor(field: string): string {
  const m = /^(?:metadata\.(name)|spec\.(?:rules\.)?([A-Za-z]+))/.exec(field);
  const key = m ? m[1] ?? m[2] ?? '' : '';
  return own(FIELD_HINTS, key) ?? `Fix ${field} as the message says.`;
}

function fromFieldError(e: FieldError): Finding {
  return {
    rule: 'jspolicy-schema',
    severity: 'error',
    path: manifestPath(e.field),
    message: `${e.field}: ${e.message}`,
    hint: hintFor(e.field),
  };
}

const notAJsPolicy: SchemaRule = (p) =>
  p.kind === 'JsPolicy' && p.apiVersion === 'policy.jspolicy.com/v1beta1'
    ? []
    : [
        {
          rule: 'not-a-jspolicy',
          severity: 'error',
          path: p.kind === 'JsPolicy' ? 'apiVersion' : 'kind',
          message: `Expected apiVersion policy.jspolicy.com/v1beta1, kind JsPolicy; got ${p.apiVersion || '(none)'} ${p.kind || '(none)'}.`,
          hint: 'Start the manifest with `apiVersion: policy.jspolicy.com/v1beta1` and `kind: JsPolicy`.',
        },
      ];

/** Everything the API server (CRD types) and jsPolicy's /crds webhook would reject. */
const jspolicySchema: SchemaRule = (p) => [...validateJsPolicyTypes(p.raw), ...validateJsPolicy(p.raw)].map(fromFieldError);

const TOP_LEVEL_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];

/** Fields the CRD schema does not know: the API server drops them silently. */
const unknownField: SchemaRule = (p, options) => {
  const out: Finding[] = [];
  const raw = isObj(p.raw) ? p.raw : {};
  const report = (path: string, allowed: readonly string[]): void => {
    out.push({
      rule: 'unknown-field',
      severity: strictness(options),
      path,
      message: `${path} is not a JsPolicy field: the API server silently drops it, so it has no effect.`,
      hint: `Remove ${path}. Known fields: ${allowed.join(', ')}.`,
    });
  };
  for (const k of Object.keys(raw)) if (TOP_LEVEL_FIELDS.indexOf(k) < 0) report(k, TOP_LEVEL_FIELDS);
  for (const k of Object.keys(p.spec)) if (JSPOLICY_SPEC_FIELDS.indexOf(k) < 0) report(`spec.${k}`, JSPOLICY_SPEC_FIELDS);
  return out;
};

/** jsPolicy's controller manager refuses these at start (pkg/controller/manager.go gvksFromPolicy). */
const controllerResources: SchemaRule = (p) => {
  if (p.type !== 'Controller') return [];
  const out: Finding[] = [];
  p.resources.forEach((r, i) => {
    if (r === '*' || r.indexOf('/') >= 0) {
      out.push({
        rule: 'controller-resources',
        severity: 'error',
        path: `spec.resources[${i}]`,
        message:
          r === '*'
            ? 'wildcard resources are not allowed for background policies (jsPolicy fails to start the controller).'
            : `Controller policies watch whole resources: "${r}" cannot be resolved to a kind (jsPolicy fails to start the controller).`,
        hint: 'List the exact plural resources the controller watches, e.g. ["namespaces"], and set apiGroups to their groups.',
      });
    }
  });
  return out;
};

/** generated profile: a model-written policy is an explicit Validating/Mutating webhook with inline code. */
const generatedShape: SchemaRule = (p, options) => {
  if (options.profile !== 'generated') return [];
  const out: Finding[] = [];
  if (p.type !== 'Validating' && p.type !== 'Mutating') {
    out.push({
      rule: 'policy-type',
      severity: 'error',
      path: 'spec.type',
      message: p.type ? `spec.type ${p.type} is not allowed for generated policies.` : 'spec.type is missing.',
      hint: 'Set spec.type to "Validating" (allow/deny only) or "Mutating" (changes objects with mutate()).',
    });
  }
  if (p.javascript.trim() === '') {
    out.push({
      rule: 'missing-javascript',
      severity: 'error',
      path: 'spec.javascript',
      message: 'spec.javascript is empty: jsPolicy would wait for a precompiled JsPolicyBundle that never comes.',
      hint: 'Put the whole policy code in spec.javascript.',
    });
  }
  if (p.spec.dependencies !== undefined) {
    out.push({
      rule: 'dependencies-forbidden',
      severity: 'error',
      path: 'spec.dependencies',
      message: 'spec.dependencies makes jsPolicy run npm install from the registry for this policy.',
      hint: 'Remove spec.dependencies and any import statements; write the needed helpers inline in plain JavaScript.',
    });
  }
  return out;
};

export const SCHEMA_RULES: readonly SchemaRule[] = [notAJsPolicy, jspolicySchema, unknownField, controllerResources, generatedShape];

export function lintSchema(policy: PolicyView, options: LintOptions): Finding[] {
  const out: Finding[] = [];
  for (const rule of SCHEMA_RULES) out.push(...rule(policy, options));
  return out;
}
