// What a generated policy's rules reach, as the API server matches them: the one matcher against a
// transcription of k8s.io/apiserver's rules.Matcher, the never-list, the subresource allow-list, and
// RBAC / cluster-scoped kinds only when the description names them.
import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES, type ServedResource } from '../../lib/k8s/builtin-resources.ts';
import type { JsPolicy } from '../../lib/k8s/types.ts';
import { lintPolicy, type Finding, type LintOptions } from '../../lib/lint/index.ts';
import { ALLOWED_SUBRESOURCES, isProtectedResource, isWildcardEntry, PROTECTED_RESOURCES } from '../../lib/lint/safety.ts';
import { matchedResources } from '../../lib/controller/impact.ts';
import { kindsNamedIn } from '../../lib/policy/intent-kinds.ts';
import { matchesResource, ruleMatchesResource } from '../../lib/policy/webhook-match.ts';

/**
 * staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook/predicates/rules/rules.go, resource() and
 * splitResource(), line for line: strings.SplitN(resSub, "/", 2), then `res == "*" || res == opRes`
 * and `sub == "*" || sub == opSub`.
 */
function apiServerMatches(rule: string, opRes: string, opSub: string): boolean {
  const parts = rule.split('/');
  const res = parts[0] as string;
  const sub = parts.length > 1 ? parts.slice(1).join('/') : '';
  return (res === '*' || res === opRes) && (sub === '*' || sub === opSub);
}

const ENTRIES = ['*', '*/*', '*/status', '*/scale', '*/token', 'pods', 'pods/*', 'pods/status', 'pods/exec', 'serviceaccounts', 'serviceaccounts/*', 'serviceaccounts/token', 'deployments/scale', 'a/b/c', ''];
const REQUESTS: Array<[string, string]> = [
  ['pods', ''],
  ['pods', 'status'],
  ['pods', 'exec'],
  ['pods', 'ephemeralcontainers'],
  ['serviceaccounts', ''],
  ['serviceaccounts', 'token'],
  ['deployments', 'scale'],
  ['nodes', 'status'],
  ['a', 'b/c'],
  ['secrets', ''],
];

describe('ruleMatchesResource is the API server’s matching', () => {
  it.each([
    ['*', 'pods', '', true],
    ['*', 'pods', 'status', false],
    ['*/*', 'pods', 'status', true],
    ['*/*', 'pods', '', true],
    ['pods', 'pods', '', true],
    ['pods', 'pods', 'exec', false],
    ['pods/*', 'pods', 'exec', true],
    // rules.go's sub == "*" also matches the main resource ("" subresource), whatever its comment says.
    ['pods/*', 'pods', '', true],
    ['*/status', 'nodes', 'status', true],
    ['*/status', 'nodes', '', false],
    ['serviceaccounts/*', 'serviceaccounts', 'token', true],
    ['deployments/scale', 'deployments', 'scale', true],
    ['deployments/scale', 'replicasets', 'scale', false],
    ['a/b/c', 'a', 'b/c', true],
  ] as const)('%s against %s/%s: %s', (entry, resource, sub, expected) => {
    expect(ruleMatchesResource(entry, resource, sub)).toBe(expected);
    expect(apiServerMatches(entry, resource, sub)).toBe(expected);
  });

  it('agrees with the transcription on every entry × request, and matchesResource (the local runtime’s) is any of its entries', () => {
    for (const entry of ENTRIES) {
      for (const [resource, sub] of REQUESTS) {
        expect(ruleMatchesResource(entry, resource, sub), `${entry} ${resource}/${sub}`).toBe(apiServerMatches(entry, resource, sub));
      }
    }
    for (const [resource, sub] of REQUESTS) {
      expect(matchesResource(ENTRIES, resource, sub === '' ? undefined : sub)).toBe(ENTRIES.some((e) => apiServerMatches(e, resource, sub)));
    }
  });
});

function policy(spec: Record<string, unknown>): unknown {
  return {
    apiVersion: 'policy.jspolicy.com/v1beta1',
    kind: 'JsPolicy',
    metadata: { name: 'test.policies.example.com' },
    spec: { type: 'Validating', operations: ['CREATE'], resources: ['pods'], apiGroups: [''], javascript: 'allow();', ...spec },
  };
}
const gen: LintOptions = { profile: 'generated', resources: BUILTIN_RESOURCES };
const REACH = ['wildcard-resources', 'wildcard-subresources', 'protected-resource', 'subresource-not-allowed', 'protected-api-group', 'kind-not-in-intent', 'cluster-scoped-not-in-intent'];
const reach = (fs: Finding[]): string[] => fs.filter((f) => REACH.includes(f.rule)).map((f) => f.rule);
const lintResources = (resources: string[], apiGroups: string[] = ['*'], options: LintOptions = gen): Finding[] => lintPolicy(policy({ resources, apiGroups }), options);

describe('the never-list, as the API server matches it', () => {
  it.each([
    ['*', 'wildcard-resources'],
    ['*/*', 'wildcard-resources'],
    ['*/status', 'wildcard-resources'],
    ['*/token', 'wildcard-resources'],
    ['serviceaccounts/*', 'wildcard-subresources'],
    ['pods/*', 'wildcard-subresources'],
    ['secrets/*', 'wildcard-subresources'],
    ['serviceaccounts/token', 'subresource-not-allowed'],
    ['pods/status', 'subresource-not-allowed'],
    ['deployments/status', 'subresource-not-allowed'],
    ['pods/eviction', 'subresource-not-allowed'],
    ['pods/binding', 'subresource-not-allowed'],
    ['namespaces/finalize', 'subresource-not-allowed'],
    ['nodes/status', 'protected-resource'],
  ])('%s is refused: %s', (entry, rule) => {
    expect(reach(lintResources([entry]))).toEqual([rule]);
  });

  it('names what a wildcard reaches: serviceaccounts/* reaches TokenRequests', () => {
    const [f] = lintResources(['serviceaccounts/*']).filter((x) => x.rule === 'wildcard-subresources');
    expect(f?.message).toContain('serviceaccounts/token');
    expect(f?.hint).toContain('"serviceaccounts"');
    const [pods] = lintResources(['pods/*']).filter((x) => x.rule === 'wildcard-subresources');
    expect(pods?.message).toContain('pods/status');
    expect(pods?.hint).toContain('"pods/ephemeralcontainers"');
    const [star] = lintResources(['*']).filter((x) => x.rule === 'wildcard-resources');
    expect(star?.message).toContain('of every API group');
    expect(star?.message).toContain('secrets');
  });

  it.each(PROTECTED_RESOURCES.map((r) => [r]))('%s is never matched, nor any of its subresources', (r) => {
    expect(reach(lintResources([r]))).toEqual(['protected-resource']);
    expect(reach(lintResources([`${r}/status`]))).toEqual(['protected-resource']);
    expect(isProtectedResource(r)).toBe(true);
  });

  it('covers what the cluster needs to heal itself', () => {
    for (const r of ['secrets', 'nodes', 'leases', 'certificatesigningrequests', 'apiservices', 'endpoints', 'endpointslices', 'volumeattachments', 'flowschemas', 'prioritylevelconfigurations', 'customresourcedefinitions', 'validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'jspolicies', 'jspolicybundles', 'gptpolicies', 'policyapprovals', 'policyskills', 'namespacedgptpolicies', 'namespacedpolicyapprovals', 'tokenreviews', 'subjectaccessreviews', 'events']) {
      expect(PROTECTED_RESOURCES, r).toContain(r);
    }
    expect(isProtectedResource('serviceaccounts/token')).toBe(true);
    expect(isProtectedResource('serviceaccounts')).toBe(false);
  });

  it.each(ALLOWED_SUBRESOURCES.map((s) => [s]))('%s may be named', (entry) => {
    expect(reach(lintResources([entry]))).toEqual([]);
    expect(isProtectedResource(entry)).toBe(false);
  });

  it('lets ordinary kinds through, priority classes included (the system ones cannot be deleted or changed)', () => {
    expect(reach(lintResources(['pods', 'deployments', 'configmaps', 'serviceaccounts', 'priorityclasses', 'namespaces']))).toEqual([]);
  });

  it('refuses a protected API group whatever the resource is called, once', () => {
    expect(reach(lintResources(['widgets'], ['admissionregistration.k8s.io']))).toEqual(['protected-api-group']);
    expect(reach(lintResources(['things'], ['policy.jspolicy.com']))).toEqual(['protected-api-group']);
    expect(reach(lintResources(['leases'], ['coordination.k8s.io']))).toEqual(['protected-resource']);
    expect(reach(lintResources(['poddisruptionbudgets'], ['policy']))).toEqual([]);
  });

  it('wildcards are told apart from protected names (the build refuses them without ending the attempts)', () => {
    expect(['*', '*/*', '*/status', 'pods/*'].every(isWildcardEntry)).toBe(true);
    expect(['pods', 'pods/exec', 'secrets'].some(isWildcardEntry)).toBe(false);
  });

  it('judges hand-written policies not at all', () => {
    expect(reach(lintResources(['serviceaccounts/*', 'secrets'], ['*'], { profile: 'jspolicy', resources: BUILTIN_RESOURCES }))).toEqual([]);
  });
});

describe('the impact preview lists what the rules match as objects, never a protected kind', () => {
  const jsPolicy = (resources: string[], apiGroups?: string[]): JsPolicy => ({
    apiVersion: 'policy.jspolicy.com/v1beta1',
    kind: 'JsPolicy',
    metadata: { name: 'p.example.com' },
    spec: { operations: ['CREATE'], resources, ...(apiGroups ? { apiGroups } : {}), javascript: '' },
  });
  const names = (rs: ServedResource[]): string[] => rs.map((r) => `${r.group}/${r.resource}`);

  it.each([
    [['pods'], ['/pods']],
    [['pods/ephemeralcontainers'], []],
    [['pods/*'], ['/pods']],
    [['deployments/scale'], []],
  ])('%j → %j', (resources, expected) => {
    expect(names(matchedResources(jsPolicy(resources), BUILTIN_RESOURCES))).toEqual(expected);
  });

  it('"*" lists no Secret, node, lease, event or jsPolicy kind', () => {
    const listed = matchedResources(jsPolicy(['*']), BUILTIN_RESOURCES).map((r) => r.resource);
    expect(listed).toContain('pods');
    for (const r of ['secrets', 'nodes', 'leases', 'events', 'jspolicies', 'customresourcedefinitions', 'endpoints', 'certificatesigningrequests']) expect(listed).not.toContain(r);
  });
});

describe('RBAC and cluster-scoped kinds only when the description names them', () => {
  const withIntent = (description: string, resources: string[], apiGroups: string[], scope?: string): string[] =>
    reach(lintPolicy(policy({ resources, apiGroups, ...(scope ? { scope } : {}) }), { ...gen, description }));

  it.each([
    'Deny RoleBindings that bind cluster-admin',
    'Deny rolebindings that bind cluster-admin',
    'Deny role bindings that bind cluster-admin',
    'Deny Role-Bindings that bind cluster-admin',
    'Deny any RoleBinding that binds cluster-admin',
    'No RBAC grant may bind cluster-admin',
  ])('"%s" names rolebindings', (description) => {
    expect(kindsNamedIn(description, BUILTIN_RESOURCES)).toContain('rolebindings');
    expect(withIntent(description, ['rolebindings'], ['rbac.authorization.k8s.io'])).toEqual([]);
  });

  it('the longest reading wins: "cluster roles" names clusterroles, not roles', () => {
    expect(kindsNamedIn('Deny cluster roles that grant every verb', BUILTIN_RESOURCES)).toEqual(['clusterroles']);
    expect(kindsNamedIn('Deny ClusterRoleBindings to cluster-admin', BUILTIN_RESOURCES)).toEqual(['clusterrolebindings']);
    expect(withIntent('Deny cluster roles that grant every verb', ['roles'], ['rbac.authorization.k8s.io'])).toEqual(['kind-not-in-intent']);
  });

  it('an intent that names only pods and a namespace reaches no RBAC kind and nothing cluster-scoped', () => {
    const description = 'Deny pods with the label env=prod in the test namespace';
    expect(withIntent(description, ['pods'], [''])).toEqual([]);
    expect(withIntent(description, ['pods', 'rolebindings'], ['', 'rbac.authorization.k8s.io'])).toEqual(['kind-not-in-intent']);
    expect(withIntent(description, ['clusterrolebindings'], ['rbac.authorization.k8s.io'])).toEqual(['kind-not-in-intent']);
    // "namespace" names the kind, and the namespaceSelector confines a Namespace rule to test's own object.
    expect(withIntent(description, ['pods', 'namespaces'], [''])).toEqual([]);
    expect(withIntent('Deny pods with the label env=prod', ['pods', 'namespaces'], [''])).toEqual(['cluster-scoped-not-in-intent']);
    expect(withIntent(description, ['persistentvolumes'], [''])).toEqual(['cluster-scoped-not-in-intent']);
    expect(withIntent(description, ['storageclasses'], ['storage.k8s.io'])).toEqual(['cluster-scoped-not-in-intent']);
  });

  it('a cluster-scoped kind the description names is refused when it also names a namespace', () => {
    expect(withIntent('Deny StorageClasses without reclaimPolicy Retain', ['storageclasses'], ['storage.k8s.io'])).toEqual([]);
    expect(withIntent('Deny StorageClasses and PVCs in the shop namespace', ['storageclasses'], ['storage.k8s.io'])).toEqual(['cluster-scoped-not-in-intent']);
    // A Namespace is matched by its own labels: a namespaceSelector does limit it.
    expect(withIntent('Deny deleting Namespaces in the shop namespace', ['namespaces'], [''])).toEqual([]);
    expect(withIntent('Deny ClusterRoles in the shop namespace', ['clusterroles'], ['rbac.authorization.k8s.io'])).toEqual(['cluster-scoped-not-in-intent']);
  });

  it('short names and CRDs count: "PVs", cert-manager ClusterIssuers', () => {
    expect(withIntent('Deny PVs backed by hostPath', ['persistentvolumes'], [''])).toEqual([]);
    const issuer: ServedResource = { group: 'cert-manager.io', version: 'v1', kind: 'ClusterIssuer', resource: 'clusterissuers', namespaced: false, statusSubresource: true };
    const opts = { ...gen, resources: [...BUILTIN_RESOURCES, issuer] };
    expect(reach(lintPolicy(policy({ resources: ['clusterissuers'], apiGroups: ['cert-manager.io'] }), { ...opts, description: "Deny cert-manager ClusterIssuers that use Let's Encrypt staging" }))).toEqual([]);
    expect(reach(lintPolicy(policy({ resources: ['clusterissuers'], apiGroups: ['cert-manager.io'] }), { ...opts, description: 'Deny Certificates longer than 90 days' }))).toEqual(['cluster-scoped-not-in-intent']);
  });

  it('scope Namespaced keeps cluster-scoped objects out; no description, no finding (hand-written policies, the CLI)', () => {
    expect(withIntent('Deny pods in the test namespace', ['persistentvolumes'], [''], 'Namespaced')).toEqual([]);
    expect(reach(lintPolicy(policy({ resources: ['clusterroles'], apiGroups: ['rbac.authorization.k8s.io'] }), gen))).toEqual([]);
  });
});
