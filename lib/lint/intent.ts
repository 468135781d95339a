// The policy against the plan it was written for (when LintOptions.plan is given), and against the
// description's own words (when LintOptions.description is): the model's plan may be what an attacker
// wrote into the description, the kinds the description names are what its reviewer reads.
import type { ServedResource } from '../k8s/builtin-resources.ts';
import { namespacesNamedIn } from '../policy/intent-namespaces.ts';
import { kindsNamedIn, RBAC_RESOURCES } from '../policy/intent-kinds.ts';
import type { Finding, LintOptions, PolicyView } from './types.ts';
import { expandOperations, isObj } from './types.ts';
import type { Plan } from './plan.ts';

const NAME_LABEL = 'kubernetes.io/metadata.name';
const base = (r: string): string => (r.indexOf('/') < 0 ? r : r.slice(0, r.indexOf('/')));
const list = (xs: readonly string[]): string => '[' + xs.map((x) => JSON.stringify(x)).join(', ') + ']';
const pair = (g: string, r: string): string => (g === '' ? r : `${r}.${g}`);

/** The API groups a policy's resource entry matches. */
function policyGroups(p: PolicyView, resource: string, served: readonly ServedResource[]): string[] {
  const any = p.apiGroups === undefined || p.apiGroups.length === 0 || p.apiGroups.indexOf('*') >= 0;
  if (!any) return p.apiGroups ?? [];
  if (resource === '*') return ['*'];
  const groups = served.filter((s) => s.resource === resource).map((s) => s.group);
  return groups.length > 0 ? groups : ['*'];
}

const groupMatches = (want: string, got: string): boolean => want === '*' || got === '*' || want === got;
const resourceMatches = (want: string, got: string): boolean => want === '*' || got === '*' || want === got;

/** Namespaces a selector picks by name (kubernetes.io/metadata.name), or undefined when it does not. */
function selectedNamespaces(selector: unknown): string[] | undefined {
  if (!isObj(selector)) return undefined;
  let names: string[] | undefined;
  const narrow = (xs: string[]): void => {
    names = names === undefined ? xs : names.filter((n) => xs.indexOf(n) >= 0);
  };
  if (isObj(selector.matchLabels) && typeof selector.matchLabels[NAME_LABEL] === 'string') narrow([selector.matchLabels[NAME_LABEL] as string]);
  if (Array.isArray(selector.matchExpressions)) {
    for (const e of selector.matchExpressions) {
      if (isObj(e) && e.key === NAME_LABEL && e.operator === 'In' && Array.isArray(e.values)) {
        narrow(e.values.filter((v): v is string => typeof v === 'string'));
      }
    }
  }
  return names;
}

function quotedIn(code: string, s: string): boolean {
  return code.indexOf(`"${s}"`) >= 0 || code.indexOf(`'${s}'`) >= 0 || code.indexOf('`' + s + '`') >= 0;
}

function mismatch(path: string, message: string, hint: string): Finding {
  return { rule: 'intent-mismatch', severity: 'error', path, message, hint };
}

function operations(p: PolicyView, plan: Plan): Finding[] {
  const planned = expandOperations(plan.operations.map((o) => o.toUpperCase()));
  const actual = expandOperations(p.operations);
  const extra = actual.filter((o) => planned.indexOf(o) < 0);
  const missing = planned.filter((o) => actual.indexOf(o) < 0);
  if (extra.length === 0 && missing.length === 0) return [];
  const parts: string[] = [];
  if (extra.length > 0) parts.push(`also matches ${extra.join(', ')}, which the plan does not ask for`);
  if (missing.length > 0) parts.push(`does not match ${missing.join(', ')}, which the plan requires`);
  return [
    mismatch(
      'spec.operations',
      `spec.operations ${parts.join(' and ')}.`,
      `Set spec.operations to ${list(plan.operations.indexOf('*') >= 0 ? ['*'] : planned)} as planned.`,
    ),
  ];
}

function resources(p: PolicyView, plan: Plan, served: readonly ServedResource[]): Finding[] {
  const out: Finding[] = [];
  const planned = plan.resources.map((r) => ({ group: r.group, resource: base(r.resource) }));
  const plannedText = planned.map((r) => pair(r.group, r.resource)).join(', ');
  p.resources.forEach((r, i) => {
    const name = base(r);
    if (name === '') return;
    const groups = policyGroups(p, name, served);
    const covered = groups.some((g) => planned.some((pl) => groupMatches(pl.group, g) && (pl.resource === '*' || pl.resource === name)));
    if (!covered || (name === '*' && !planned.some((pl) => pl.resource === '*'))) {
      out.push(
        mismatch(
          `spec.resources[${i}]`,
          `spec.resources[${i}] "${r}" (groups ${list(groups)}) is not in the plan (${plannedText}).`,
          `Match only the planned resources: resources ${list(unique(planned.map((x) => x.resource)))} with apiGroups ${list(unique(planned.map((x) => x.group)))}.`,
        ),
      );
    }
  });
  for (const pl of planned) {
    const covered = p.resources.some((r) => {
      const name = base(r);
      return resourceMatches(name, pl.resource) && policyGroups(p, name, served).some((g) => groupMatches(pl.group, g));
    });
    if (!covered) {
      out.push(
        mismatch(
          'spec.resources',
          `The plan covers ${pair(pl.group, pl.resource)}, but the policy does not match it.`,
          `Add "${pl.resource}" to spec.resources and ${JSON.stringify(pl.group)} to spec.apiGroups.`,
        ),
      );
    }
  }
  return out;
}

function unique(xs: string[]): string[] {
  return xs.filter((x, i) => xs.indexOf(x) === i);
}

function namespaces(p: PolicyView, plan: Plan): Finding[] {
  const selected = selectedNamespaces(p.spec.namespaceSelector);
  const planned = plan.namespaces;
  const selectorHint = `Set spec.namespaceSelector to {matchExpressions: [{key: "${NAME_LABEL}", operator: "In", values: ${list(planned)}}]}.`;
  if (planned.length === 0) {
    if (selected === undefined) return [];
    return [
      mismatch(
        'spec.namespaceSelector',
        `spec.namespaceSelector limits the policy to namespaces ${list(selected)}, but the plan covers every namespace.`,
        'Remove the namespace-name restriction from spec.namespaceSelector (a NotIn exclusion of system namespaces is fine).',
      ),
    ];
  }
  const out: Finding[] = [];
  const missing = planned.filter((ns) => !(selected !== undefined && selected.indexOf(ns) >= 0) && !quotedIn(p.javascript, ns));
  if (missing.length > 0) {
    out.push(
      mismatch(
        'spec.namespaceSelector',
        `The plan limits the policy to namespaces ${list(planned)}, but ${list(missing)} ${missing.length === 1 ? 'is' : 'are'} not reflected in spec.namespaceSelector (or the code).`,
        selectorHint,
      ),
    );
  }
  const extra = (selected ?? []).filter((ns) => planned.indexOf(ns) < 0);
  if (extra.length > 0) {
    out.push(
      mismatch('spec.namespaceSelector', `spec.namespaceSelector selects namespaces ${list(extra)} that the plan does not cover.`, selectorHint),
    );
  }
  return out;
}

/**
 * RBAC kinds only when the description names them; cluster-scoped kinds only when it names them and
 * names no namespace (a namespaceSelector does not limit a cluster-scoped object, so a description
 * that names a namespace promises a reach such a rule would break). A Namespace is judged by its own
 * labels, so it may be named beside namespaces.
 */
function reach(p: PolicyView, description: string, served: readonly ServedResource[]): Finding[] {
  const named = kindsNamedIn(description, served);
  const namespaces = namespacesNamedIn(description);
  const scope = typeof p.spec.scope === 'string' ? p.spec.scope : '*';
  const out: Finding[] = [];
  p.resources.forEach((r, i) => {
    const name = base(r);
    if (name === '' || name === '*') return;
    const groups = policyGroups(p, name, served);
    const kinds = served.filter((s) => s.resource === name && (groups.indexOf('*') >= 0 || groups.indexOf(s.group) >= 0));
    const path = `spec.resources[${i}]`;
    const isNamed = named.indexOf(name) >= 0;
    if (!isNamed && kinds.some((s) => s.group === 'rbac.authorization.k8s.io' && RBAC_RESOURCES.indexOf(s.resource) >= 0)) {
      out.push({
        rule: 'kind-not-in-intent',
        severity: 'error',
        path,
        message: `spec.resources[${i}] "${r}" is an RBAC kind the description does not name: a policy reaches RBAC only when its description says so.`,
        hint: `Remove "${r}" from spec.resources and match only the kinds the description names.`,
      });
      return;
    }
    if (scope === 'Namespaced' || !kinds.some((s) => !s.namespaced)) return;
    if (!isNamed) {
      out.push({
        rule: 'cluster-scoped-not-in-intent',
        severity: 'error',
        path,
        message: `spec.resources[${i}] "${r}" is cluster-scoped and the description does not name it: no namespaceSelector limits what such a rule reaches.`,
        hint: `Remove "${r}" from spec.resources and match only the kinds the description names.`,
      });
    } else if (namespaces.length > 0 && name !== 'namespaces') {
      out.push({
        rule: 'cluster-scoped-not-in-intent',
        severity: 'error',
        path,
        message: `spec.resources[${i}] "${r}" is cluster-scoped, but the description limits the policy to namespace(s) ${list(namespaces)}: a namespaceSelector does not limit cluster-scoped objects.`,
        hint: `Remove "${r}" from spec.resources: within ${list(namespaces)} only namespaced kinds can be matched.`,
      });
    }
  });
  return out;
}

export function lintIntent(p: PolicyView, options: LintOptions): Finding[] {
  const plan = options.plan;
  const described = options.description === undefined ? [] : reach(p, options.description, options.resources);
  if (!plan) return described;
  return [...operations(p, plan), ...resources(p, plan, options.resources), ...namespaces(p, plan), ...described];
}
