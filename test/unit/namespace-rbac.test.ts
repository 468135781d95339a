// The RBAC for teams, read from k8s/rbac.yaml: a namespace's admin and editors write and read its
// NamespacedGPTPolicies through aggregation, and never approve through it; approving in a namespace
// is a role of its own, bound by RoleBinding.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
interface Role {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  rules?: Rule[];
}

const roles = parseAllDocuments(readFileSync(new URL('../../k8s/rbac.yaml', import.meta.url), 'utf8'))
  .map((d) => d.toJS() as Role)
  .filter((r) => r.kind === 'ClusterRole');
const role = (name: string) => roles.find((r) => r.metadata.name === name) as Role;
const grants = (r: Role, resource: string, verb: string) => (r.rules ?? []).some((rule) => rule.apiGroups.includes('gptpolicy.dev') && rule.resources.includes(resource) && rule.verbs.includes(verb));
const aggregatedInto = (r: Role) => Object.keys(r.metadata.labels ?? {}).filter((k) => k.startsWith('rbac.authorization.k8s.io/aggregate-to-'));

describe('RBAC for teams', () => {
  it('a namespace admin and editor write NamespacedGPTPolicies, and viewers read them, by aggregation', () => {
    const edit = role('gptpolicy-namespace-edit');
    expect(aggregatedInto(edit).sort()).toEqual(['rbac.authorization.k8s.io/aggregate-to-admin', 'rbac.authorization.k8s.io/aggregate-to-edit']);
    for (const verb of ['create', 'update', 'delete', 'get', 'list']) expect(grants(edit, 'namespacedgptpolicies', verb)).toBe(true);
    const view = role('gptpolicy-namespace-view');
    expect(aggregatedInto(view)).toContain('rbac.authorization.k8s.io/aggregate-to-view');
    for (const resource of ['namespacedgptpolicies', 'namespacedgptpolicies/status', 'namespacedpolicyapprovals']) expect(grants(view, resource, 'get')).toBe(true);
  });

  it('no aggregated role approves anything: writing an intent never lets it enforce', () => {
    for (const r of roles.filter((x) => aggregatedInto(x).length > 0)) {
      for (const resource of ['policyapprovals', 'namespacedpolicyapprovals']) {
        for (const verb of ['create', 'update', 'patch', 'delete']) expect(grants(r, resource, verb), `${r.metadata.name} ${verb} ${resource}`).toBe(false);
      }
      // Nor does any write the status the controller derives the stage from.
      expect(grants(r, 'namespacedgptpolicies/status', 'update'), r.metadata.name).toBe(false);
    }
  });

  it('the namespace approver is aggregated nowhere, approves namespaced intents only, and a cluster approver approves them too', () => {
    const approver = role('gptpolicy-namespace-approver');
    expect(aggregatedInto(approver)).toEqual([]);
    expect(grants(approver, 'namespacedpolicyapprovals', 'create')).toBe(true);
    expect(grants(approver, 'policyapprovals', 'create')).toBe(false);
    expect(grants(approver, 'namespacedgptpolicies', 'update')).toBe(false);
    expect(grants(role('gptpolicy-approver'), 'namespacedpolicyapprovals', 'create')).toBe(true);
  });

  it('the controller may write what it writes for the namespaced kinds, and delete their policies', () => {
    const controller = role('gptpolicy-controller');
    for (const resource of ['namespacedgptpolicies', 'namespacedpolicyapprovals']) {
      expect(grants(controller, resource, 'watch')).toBe(true);
      expect(grants(controller, resource, 'update')).toBe(true);
      expect(grants(controller, `${resource}/status`, 'update')).toBe(true);
    }
    const jspolicy = (resource: string, verb: string) => (controller.rules ?? []).some((r) => r.apiGroups.includes('policy.jspolicy.com') && r.resources.includes(resource) && r.verbs.includes(verb));
    expect(jspolicy('jspolicies', 'delete')).toBe(true);
    expect(jspolicy('jspolicybundles', 'delete')).toBe(true);
  });
});
