// jsPolicy's /crds webhook rules (pkg/webhook/validation/generic.go at d524b26) with the exact
// messages the webhook prints (apimachinery v0.23 field.Error formatting).
import { describe, expect, it } from 'vitest';
import {
  formatApiServerDenial,
  formatDenial,
  validateJsPolicy,
  validateJsPolicyTypes,
  type FieldError,
} from '../../lib/jspolicy/validate-spec.ts';

function policy(spec: Record<string, unknown>, name = 'my-policy.policies.example.com'): unknown {
  return {
    apiVersion: 'policy.jspolicy.com/v1beta1',
    kind: 'JsPolicy',
    metadata: { name },
    spec: { operations: ['CREATE'], resources: ['pods'], ...spec },
  };
}
const lines = (errs: FieldError[]): string[] => errs.map((e) => `${e.field}: ${e.message}`);

describe('validateJsPolicy', () => {
  it('accepts a valid policy', () => {
    expect(
      validateJsPolicy(
        policy({
          type: 'Mutating',
          apiGroups: [''],
          apiVersions: ['v1'],
          scope: 'Namespaced',
          failurePolicy: 'Ignore',
          matchPolicy: 'Exact',
          reinvocationPolicy: 'IfNeeded',
          timeoutSeconds: 30,
          violationPolicy: 'Dry',
          auditPolicy: 'Skip',
          auditLogSize: 40,
          namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] },
          objectSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
        }),
      ),
    ).toEqual([]);
  });

  it('rejects names with fewer than three segments', () => {
    expect(lines(validateJsPolicy(policy({}, 'my-policy.example')))).toEqual([
      'metadata.name: Invalid value: "my-policy.example": should be a domain with at least three segments separated by dots',
    ]);
    expect(lines(validateJsPolicy(policy({}, '')))).toEqual(['metadata.name: Required value']);
  });

  it('rejects names that are not DNS-1123 subdomains', () => {
    expect(lines(validateJsPolicy(policy({}, 'Add-PSA-Labels.example.com')))).toEqual([
      'metadata.name: Invalid value: "Add-PSA-Labels.example.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    ]);
  });

  it("rejects lower-case 'deny' (violationPolicy is case-sensitive)", () => {
    expect(lines(validateJsPolicy(policy({ violationPolicy: 'deny' })))).toEqual([
      'spec.violationPolicy: Invalid value: "deny": needs to be one of [Deny Warn Dry]',
    ]);
    expect(lines(validateJsPolicy(policy({ auditPolicy: 'log' })))).toEqual(['spec.auditPolicy: Invalid value: "log": needs to be one of [Log Skip]']);
  });

  it('rejects timeoutSeconds outside 1–30', () => {
    expect(lines(validateJsPolicy(policy({ timeoutSeconds: 31 })))).toEqual([
      'spec.timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds',
    ]);
    expect(validateJsPolicy(policy({ timeoutSeconds: 0 }))).toHaveLength(1);
    expect(validateJsPolicy(policy({ timeoutSeconds: 1 }))).toEqual([]);
  });

  it('rejects UPDATE and CONNECT for Controller policies', () => {
    expect(lines(validateJsPolicy(policy({ type: 'Controller', operations: ['CREATE', 'UPDATE', 'CONNECT'] })))).toEqual([
      'spec.rules.operations[1]: Unsupported value: "UPDATE": supported values: "*", "CREATE", "DELETE"',
      'spec.rules.operations[2]: Unsupported value: "CONNECT": supported values: "*", "CREATE", "DELETE"',
    ]);
  });

  it('rejects a type change on update (also "" → Validating) but not on create', () => {
    const old = policy({ type: 'Validating' });
    expect(lines(validateJsPolicy(policy({ type: 'Mutating' }), old))).toEqual(['spec.type: Invalid value: "Mutating": type is immutable']);
    expect(lines(validateJsPolicy(policy({ type: 'Validating' }), policy({})))).toEqual([
      'spec.type: Invalid value: "Validating": type is immutable',
    ]);
    expect(validateJsPolicy(policy({ type: 'Validating' }), old)).toEqual([]);
    expect(validateJsPolicy(policy({ type: 'Mutating' }))).toEqual([]);
  });

  it('checks operations', () => {
    expect(lines(validateJsPolicy(policy({ operations: [] })))).toEqual(['spec.rules.operations: Required value']);
    expect(lines(validateJsPolicy(policy({ operations: ['*', 'CREATE'] })))).toEqual([
      'spec.rules.operations: Invalid value: []v1.OperationType{"*", "CREATE"}: if \'*\' is present, must not specify other operations',
    ]);
    expect(lines(validateJsPolicy(policy({ operations: ['create'] })))).toEqual([
      'spec.rules.operations[0]: Unsupported value: "create": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"',
    ]);
  });

  it('checks resources with the Kubernetes wildcard rules', () => {
    expect(lines(validateJsPolicy(policy({ resources: [] })))).toEqual(['spec.rules.resources: Required value']);
    expect(lines(validateJsPolicy(policy({ resources: ['pods', ''] })))).toEqual(['spec.rules.resources[1]: Required value']);
    expect(lines(validateJsPolicy(policy({ resources: ['*', 'pods'] })))).toEqual([
      'spec.rules.resources: Invalid value: []string{"*", "pods"}: if \'*\' is present, must not specify other resources without subresources',
    ]);
    // (sic) the webhook only remembers whether the LAST plain entry was "*", so this passes
    expect(validateJsPolicy(policy({ resources: ['pods', '*'] }))).toEqual([]);
    expect(validateJsPolicy(policy({ resources: ['*', 'pods/status'] }))).toEqual([]);
    expect(lines(validateJsPolicy(policy({ resources: ['*/*', 'pods'] })))).toEqual([
      'spec.rules.resources: Invalid value: []string{"*/*", "pods"}: if \'*/*\' is present, must not specify other resources',
    ]);
    expect(lines(validateJsPolicy(policy({ resources: ['pods/*', 'pods/status'] })))).toEqual([
      'spec.rules.resources[1]: Invalid value: "pods/status": if \'pods/*\' is present, must not specify pods/status',
    ]);
    expect(lines(validateJsPolicy(policy({ resources: ['*/status', 'pods/status'] })))).toEqual([
      'spec.rules.resources[1]: Invalid value: "pods/status": if \'*/status\' is present, must not specify pods/status',
    ]);
  });

  it('checks apiGroups, apiVersions and scope', () => {
    expect(lines(validateJsPolicy(policy({ apiGroups: ['*', 'apps'], apiVersions: ['v1', ''], scope: 'namespaced' })))).toEqual([
      'spec.rules.apiGroups: Invalid value: []string{"*", "apps"}: if \'*\' is present, must not specify other API groups',
      'spec.rules.apiVersions[1]: Required value',
      'spec.rules.scope: Unsupported value: "namespaced": supported values: "*", "Cluster", "Namespaced"',
    ]);
    expect(lines(validateJsPolicy(policy({ apiVersions: ['*', 'v1'] })))).toEqual([
      'spec.rules.apiVersions: Invalid value: []string{"*", "v1"}: if \'*\' is present, must not specify other API versions',
    ]);
  });

  it('checks the enumerations', () => {
    expect(
      lines(validateJsPolicy(policy({ failurePolicy: 'fail', reinvocationPolicy: 'Always', matchPolicy: 'exact', type: 'validating' }))),
    ).toEqual([
      'spec.failurePolicy: Unsupported value: "fail": supported values: "Fail", "Ignore"',
      'spec.reinvocationPolicy: Unsupported value: "Always": supported values: "IfNeeded", "Never"',
      'spec.matchPolicy: Unsupported value: "exact": supported values: "Equivalent", "Exact"',
      'spec.type: Unsupported value: "validating": supported values: "", "Controller", "Mutating", "Validating"',
    ]);
    expect(lines(validateJsPolicy(policy({ auditLogSize: 0 })))).toEqual([
      'spec.auditLogSize: Invalid value: 0: The audit log size needs to be between 1 and 40',
    ]);
  });

  it('checks label selectors', () => {
    expect(
      lines(
        validateJsPolicy(
          policy({
            namespaceSelector: {
              matchExpressions: [
                { key: 'team', operator: 'In' },
                { key: 'tier', operator: 'Exists', values: ['x'] },
                { key: 'a', operator: 'Equals', values: ['x'] },
              ],
            },
            objectSelector: { matchLabels: { 'bad key': 'ok', good: 'bad value!' } },
          }),
        ),
      ),
    ).toEqual([
      "spec.namespaceSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.namespaceSelector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.namespaceSelector.matchExpressions[2].operator: Invalid value: "Equals": not a valid selector operator',
      'spec.objectSelector.matchLabels: Invalid value: "bad key": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
      'spec.objectSelector.matchLabels: Invalid value: "bad value!": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')',
    ]);
  });

  it('does not check wildcard resources for Controllers (jsPolicy refuses those later, at controller start)', () => {
    expect(validateJsPolicy(policy({ type: 'Controller', resources: ['*'] }))).toEqual([]);
  });
});

describe('formatDenial', () => {
  it('prints one error as is and several as an aggregate, without duplicates', () => {
    const one = validateJsPolicy(policy({ timeoutSeconds: 31 }));
    expect(formatDenial(one)).toBe('spec.timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds');
    const two = validateJsPolicy(policy({ timeoutSeconds: 31, violationPolicy: 'deny' }, 'a.b'));
    expect(formatDenial([...two, ...two])).toBe(
      '[metadata.name: Invalid value: "a.b": should be a domain with at least three segments separated by dots, ' +
        'spec.timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds, ' +
        'spec.violationPolicy: Invalid value: "deny": needs to be one of [Deny Warn Dry]]',
    );
    expect(formatDenial([])).toBe('');
    expect(formatApiServerDenial(one)).toBe(
      'admission webhook "jspolicy.jspolicy.com" denied the request: spec.timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds',
    );
  });
});

describe('validateJsPolicyTypes', () => {
  it('reports wrongly typed fields as the API server does', () => {
    expect(lines(validateJsPolicyTypes(policy({ timeoutSeconds: '10', operations: 'CREATE' })))).toEqual([
      'spec.operations: Invalid value: "string": spec.operations in body must be of type array: "string"',
      'spec.timeoutSeconds: Invalid value: "string": spec.timeoutSeconds in body must be of type integer: "string"',
    ]);
    expect(validateJsPolicyTypes(policy({ objectSelector: { matchLabels: { a: 'b' } } }))).toEqual([]);
    expect(lines(validateJsPolicyTypes(policy({ objectSelector: { matchLabels: { enabled: true } } })))).toEqual([
      'spec.objectSelector.matchLabels.enabled: Invalid value: "boolean": spec.objectSelector.matchLabels.enabled in body must be of type string: "boolean"',
    ]);
  });
});
