// What a generated policy may never match, whatever its intent: the resources the cluster needs to
// heal itself or to repair a bad policy, credentials, and wildcards that would include them. What an
// entry reaches is asked of the API server's own matching (ruleMatchesResource), never read off the
// entry's text. Generated profile only: a hand-written policy may have good reasons.
import type { ServedResource } from '../k8s/builtin-resources.ts';
import { ruleMatchesResource } from '../policy/webhook-match.ts';
import type { Finding, LintOptions, PolicyView } from './types.ts';

/**
 * Plural resource names out of reach in every API group, with every subresource: credentials
 * (a deny message or the impact preview would carry their content to whoever reads them, and
 * `bindings` is how the scheduler places pods), jsPolicy's kinds and ours, CRDs and aggregated
 * APIs, every kind of admission configuration, node heartbeats and leader election, certificate
 * requests (kubelets renew theirs), service endpoints, volume attachment, API priority and
 * fairness, authentication and authorization reviews, events.
 */
export const PROTECTED_RESOURCES = [
  'secrets',
  'tokenrequests',
  'bindings',
  'jspolicies',
  'jspolicybundles',
  'jspolicyviolations',
  'gptpolicies',
  'policyapprovals',
  'policyskills',
  'namespacedgptpolicies',
  'namespacedpolicyapprovals',
  'customresourcedefinitions',
  'apiservices',
  'validatingwebhookconfigurations',
  'mutatingwebhookconfigurations',
  'validatingadmissionpolicies',
  'validatingadmissionpolicybindings',
  'mutatingadmissionpolicies',
  'mutatingadmissionpolicybindings',
  'nodes',
  'csinodes',
  'leases',
  'leasecandidates',
  'storageversions',
  'certificatesigningrequests',
  'endpoints',
  'endpointslices',
  'volumeattachments',
  'flowschemas',
  'prioritylevelconfigurations',
  'tokenreviews',
  'subjectaccessreviews',
  'selfsubjectaccessreviews',
  'localsubjectaccessreviews',
  'selfsubjectrulesreviews',
  'selfsubjectreviews',
  'events',
];

/**
 * API groups whose every resource is out of reach, including kinds added after this list was
 * written: admission configuration, CRDs, aggregation, coordination, flow control, reviews,
 * certificates, the API server's internals, jsPolicy's and ours.
 */
export const PROTECTED_API_GROUPS = [
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'coordination.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'certificates.k8s.io',
  'internal.apiserver.k8s.io',
  'policy.jspolicy.com',
  'gptpolicy.dev',
];

/**
 * The only subresources a generated policy may name: what a person does to a running pod (debug
 * containers, exec, attach, port-forward) and scaling a workload. Every other one is written by the
 * cluster's own machinery (status by controllers and kubelets, binding by the scheduler, eviction
 * by drains, token by every pod that starts, finalize by namespace deletion) or carries no object.
 */
export const ALLOWED_SUBRESOURCES = [
  'pods/ephemeralcontainers',
  'pods/exec',
  'pods/attach',
  'pods/portforward',
  'deployments/scale',
  'statefulsets/scale',
  'replicasets/scale',
];

// Subresources the API server serves besides status (which discovery flags): what a wildcard entry
// is checked against. A wildcard also reaches subresources no list names, so it is refused anyway.
const KNOWN_SUBRESOURCES = [
  ...ALLOWED_SUBRESOURCES,
  'pods/binding',
  'pods/eviction',
  'pods/proxy',
  'pods/log',
  'pods/resize',
  'serviceaccounts/token',
  'nodes/proxy',
  'services/proxy',
  'namespaces/finalize',
  'certificatesigningrequests/approval',
  'replicationcontrollers/scale',
];

type Target = { resource: string; subresource: string };

function split(entry: string): Target {
  const slash = entry.indexOf('/');
  return slash < 0 ? { resource: entry, subresource: '' } : { resource: entry.slice(0, slash), subresource: entry.slice(slash + 1) };
}

const show = (t: Target): string => (t.subresource === '' ? t.resource : `${t.resource}/${t.subresource}`);

function forbidden(t: Target): boolean {
  return PROTECTED_RESOURCES.indexOf(t.resource) >= 0 || (t.subresource !== '' && ALLOWED_SUBRESOURCES.indexOf(show(t)) < 0);
}

/** Resources and subresources an entry could mean: the protected ones, the served ones, its own. */
function targets(entry: string, served: readonly ServedResource[]): Target[] {
  const own = split(entry);
  const out: Target[] = [];
  const add = (resource: string, subresource: string): void => {
    if (resource !== '*' && subresource !== '*' && !out.some((t) => t.resource === resource && t.subresource === subresource)) out.push({ resource, subresource });
  };
  add(own.resource, own.subresource);
  add(own.resource, 'status');
  for (const r of PROTECTED_RESOURCES) add(r, '');
  for (const s of served) {
    add(s.resource, '');
    if (s.statusSubresource) add(s.resource, 'status');
  }
  for (const k of KNOWN_SUBRESOURCES) add(split(k).resource, split(k).subresource);
  return out;
}

/** What an entry reaches, as the API server matches it, that no generated policy may match. */
export function forbiddenReach(entry: string, served: readonly ServedResource[] = []): string[] {
  return targets(entry, served)
    .filter((t) => ruleMatchesResource(entry, t.resource, t.subresource) && forbidden(t))
    .map(show);
}

/** "*", "*\/*", "*\/status", "pods/*": entries that reach more than any list can name. */
export function isWildcardEntry(entry: string): boolean {
  const t = split(entry);
  return t.resource === '*' || t.subresource === '*';
}

/** A resource entry a generated policy may never match, whatever the intent. */
export function isProtectedResource(entry: string): boolean {
  return forbiddenReach(entry).length > 0;
}

const sample = (xs: string[]): string => (xs.length > 6 ? `${xs.slice(0, 6).join(', ')}, …` : xs.join(', '));

function entryFinding(entry: string, i: number, p: PolicyView, served: readonly ServedResource[]): Finding | undefined {
  const path = `spec.resources[${i}]`;
  const t = split(entry);
  const reach = forbiddenReach(entry, served);
  if (t.resource === '*') {
    const anyGroup = p.apiGroups === undefined || p.apiGroups.length === 0 || p.apiGroups.indexOf('*') >= 0;
    return {
      rule: 'wildcard-resources',
      severity: 'error',
      path,
      message: `spec.resources[${i}] "${entry}" matches ${t.subresource === '' ? 'every resource' : `the "${t.subresource}" subresource of every resource`}${anyGroup ? ' of every API group' : ''}, including what the cluster needs to heal itself (${sample(reach)}).`,
      hint: 'Name the plural resources the intent is about, e.g. ["pods"], never "*".',
    };
  }
  const allowed = ALLOWED_SUBRESOURCES.filter((a) => split(a).resource === t.resource);
  const or = allowed.length > 0 ? `, or with the subresources the intent is about (${allowed.map((a) => JSON.stringify(a)).join(', ')})` : '';
  if (t.subresource === '*') {
    return {
      rule: 'wildcard-subresources',
      severity: 'error',
      path,
      message: `spec.resources[${i}] "${entry}" matches every subresource of ${t.resource}${reach.length > 0 ? `, including ${sample(reach)}` : ''}: the cluster's own machinery writes most of them.`,
      hint: `Replace "${entry}" with "${t.resource}" (the object itself)${or}.`,
    };
  }
  if (reach.length === 0) return undefined;
  if (PROTECTED_RESOURCES.indexOf(t.resource) >= 0) {
    return {
      rule: 'protected-resource',
      severity: 'error',
      path,
      message: `"${t.resource}" is out of reach of generated policies: it holds credentials, or the cluster, jsPolicy or gptpolicy need it to heal themselves or to repair a bad policy.`,
      hint: `Remove "${entry}" from spec.resources; if the intent is about it, say that gptpolicy cannot generate that policy.`,
    };
  }
  return {
    rule: 'subresource-not-allowed',
    severity: 'error',
    path,
    message: `"${entry}" is out of reach of generated policies: only ${ALLOWED_SUBRESOURCES.join(', ')} may be matched; the cluster's own machinery writes the others.`,
    hint: `Replace "${entry}" with "${t.resource}"${or}.`,
  };
}

export function lintSafety(p: PolicyView, options: LintOptions): Finding[] {
  if (options.profile !== 'generated') return [];
  const out: Finding[] = [];
  p.resources.forEach((r, i) => {
    const f = entryFinding(r, i, p, options.resources);
    if (f) out.push(f);
  });
  // A protected name already says what to remove; the group catches kinds no name list has yet.
  const named = out.some((f) => f.rule === 'protected-resource');
  (p.apiGroups ?? []).forEach((g, i) => {
    if (named || PROTECTED_API_GROUPS.indexOf(g) < 0) return;
    out.push({
      rule: 'protected-api-group',
      severity: 'error',
      path: `spec.apiGroups[${i}]`,
      message: `API group "${g}" is out of reach of generated policies: the cluster, jsPolicy or gptpolicy need its kinds to heal themselves or to repair a bad policy.`,
      hint: `Remove "${g}" from spec.apiGroups; if the intent is about it, say that gptpolicy cannot generate that policy.`,
    });
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
