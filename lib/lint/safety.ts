// What a generated policy may never match, whatever its intent: the resources the cluster needs to
// heal itself or to repair a bad policy, and wildcards that would include them. Generated profile
// only: a hand-written policy may have good reasons (the jspolicy profile judges what jsPolicy runs).
import type { Finding, LintOptions, PolicyView } from './types.ts';

/**
 * Plural resource names out of reach: credentials (a policy's deny messages and our impact preview
 * would carry their content to whoever reads them), jsPolicy's own kinds, ours, CRDs, webhook
 * configurations, leases (node heartbeats, leader election), nodes, authentication/authorization
 * reviews, events.
 */
export const PROTECTED_RESOURCES = [
  'secrets',
  'tokenrequests',
  'jspolicies',
  'jspolicybundles',
  'jspolicyviolations',
  'gptpolicies',
  'policyapprovals',
  'policyskills',
  'customresourcedefinitions',
  'validatingwebhookconfigurations',
  'mutatingwebhookconfigurations',
  'validatingadmissionpolicies',
  'validatingadmissionpolicybindings',
  'leases',
  'nodes',
  'tokenreviews',
  'subjectaccessreviews',
  'selfsubjectaccessreviews',
  'localsubjectaccessreviews',
  'events',
];

const base = (r: string): string => (r.indexOf('/') < 0 ? r : r.slice(0, r.indexOf('/')));

/** A resource entry (plural, with or without a subresource) a generated policy may never match. */
export function isProtectedResource(entry: string): boolean {
  return PROTECTED_RESOURCES.indexOf(base(entry)) >= 0 || entry === 'serviceaccounts/token';
}

export function lintSafety(p: PolicyView, options: LintOptions): Finding[] {
  if (options.profile !== 'generated') return [];
  const out: Finding[] = [];
  p.resources.forEach((r, i) => {
    const name = base(r);
    if (name === '*') {
      out.push({
        rule: 'wildcard-resources',
        severity: 'error',
        path: `spec.resources[${i}]`,
        message: `spec.resources[${i}] "${r}" matches every resource, including those the cluster needs to heal itself (nodes, leases, webhook configurations, jsPolicy's own kinds).`,
        hint: 'Name the plural resources the intent is about, e.g. ["pods"], never "*".',
      });
    } else if (isProtectedResource(r)) {
      out.push({
        rule: 'protected-resource',
        severity: 'error',
        path: `spec.resources[${i}]`,
        message: `"${name}" is out of reach of generated policies: the cluster, jsPolicy or gptpolicy need it to heal themselves or to repair a bad policy.`,
        hint: `Remove "${name}" from spec.resources; if the intent is about it, say that gptpolicy cannot generate that policy.`,
      });
    }
  });
  if (p.operations.indexOf('*') >= 0) {
    out.push({
      rule: 'wildcard-operations',
      severity: 'error',
      path: 'spec.operations',
      message: 'spec.operations "*" also matches DELETE and CONNECT, which few intents mean.',
      hint: 'List only the operations the intent needs, e.g. ["CREATE", "UPDATE"].',
    });
  }
  return out;
}
