// spec.resources / apiGroups / apiVersions / scope against what the cluster serves (discovery).
import type { ServedResource } from '../k8s/builtin-resources.ts';
import type { Finding, LintOptions, PolicyView } from './types.ts';
import { strictness } from './types.ts';

const isWildcardResource = (r: string): boolean => r === '*' || r.startsWith('*/');
const baseResource = (r: string): string => {
  const i = r.indexOf('/');
  return i < 0 ? r : r.slice(0, i);
};
const list = (xs: readonly string[]): string => '[' + xs.map((x) => JSON.stringify(x)).join(', ') + ']';
const groupName = (g: string): string => (g === '' ? '"" (core)' : `"${g}"`);

function unique<T>(xs: readonly T[]): T[] {
  const out: T[] = [];
  for (const x of xs) if (out.indexOf(x) < 0) out.push(x);
  return out;
}

/** The groups a policy should list for its specific resources (in resource order). */
function neededGroups(resources: readonly string[], served: readonly ServedResource[]): string[] {
  const groups: string[] = [];
  for (const r of resources) {
    if (isWildcardResource(r)) continue;
    for (const s of served) if (s.resource === baseResource(r) && groups.indexOf(s.group) < 0) groups.push(s.group);
  }
  return groups;
}

/** Served resources whose kind or name looks like what the author meant ("Pod", "pod", "deployment"). */
function nearMisses(name: string, served: readonly ServedResource[]): ServedResource[] {
  const n = name.toLowerCase();
  return served.filter(
    (s) => s.kind.toLowerCase() === n || s.resource === n || s.resource === n + 's' || s.resource === n + 'es' || s.resource.replace(/ies$/, 'y') === n,
  );
}

export function lintResources(p: PolicyView, options: LintOptions): Finding[] {
  const served = options.resources;
  const out: Finding[] = [];
  const anyGroup = p.apiGroups === undefined || p.apiGroups.length === 0 || p.apiGroups.indexOf('*') >= 0;
  const anyVersion = p.apiVersions === undefined || p.apiVersions.length === 0 || p.apiVersions.indexOf('*') >= 0;
  const groups = p.apiGroups ?? [];
  const versions = p.apiVersions ?? [];
  const needed = neededGroups(p.resources, served);
  const scope = typeof p.spec.scope === 'string' ? p.spec.scope : '*';
  let allKnown = true;

  p.resources.forEach((r, i) => {
    if (r === '' || isWildcardResource(r)) return;
    const name = baseResource(r);
    const candidates = served.filter((s) => s.resource === name);
    if (candidates.length === 0) {
      allKnown = false;
      const near = nearMisses(name, served);
      const fix =
        near.length > 0
          ? `Use the plural resource name: ${unique(near.map((s) => `"${s.resource}"${r.indexOf('/') >= 0 ? r.slice(r.indexOf('/')) : ''} (apiGroups ${list([s.group])})`)).join(' or ')}.`
          : 'Use the plural, lower-case resource name as `kubectl api-resources` lists it (e.g. "pods", "deployments", "ingresses"), and set apiGroups to its group.';
      out.push({
        rule: 'unknown-resource',
        severity: strictness(options),
        path: `spec.resources[${i}]`,
        message: `The cluster serves no resource named "${name}": this rule never matches any request.`,
        hint: fix,
      });
      return;
    }
    const inGroup = anyGroup ? candidates : candidates.filter((s) => groups.indexOf(s.group) >= 0);
    if (inGroup.length === 0) {
      const servedBy = unique(candidates.map((s) => s.group));
      out.push({
        rule: 'api-group-mismatch',
        severity: 'error',
        path: 'spec.apiGroups',
        message: `"${name}" is served by group ${servedBy.map(groupName).join(', ')}, not by ${groups.map(groupName).join(', ')}: this resource never matches.`,
        hint: `"${name}" belongs to API group ${servedBy.map(groupName).join(' / ')}: set apiGroups to ${list(needed.length > 0 ? needed : servedBy)}.`,
      });
      return;
    }
    const inVersion = anyVersion ? inGroup : inGroup.filter((s) => versions.indexOf(s.version) >= 0);
    if (inVersion.length === 0) {
      const servedVersions = unique(inGroup.map((s) => s.version));
      out.push({
        rule: 'api-version-mismatch',
        severity: 'error',
        path: 'spec.apiVersions',
        message: `"${name}" is served in version ${servedVersions.join(', ')}, not ${versions.join(', ')}: this resource never matches.`,
        hint: `Set apiVersions to ${list(servedVersions)} (or omit apiVersions to match every version).`,
      });
      return;
    }
    const namespaced = inVersion.some((s) => s.namespaced);
    const clusterScoped = inVersion.some((s) => !s.namespaced);
    if ((scope === 'Namespaced' && !namespaced) || (scope === 'Cluster' && !clusterScoped)) {
      out.push({
        rule: 'scope-mismatch',
        severity: strictness(options),
        path: 'spec.scope',
        message: `"${name}" is ${namespaced ? 'namespaced' : 'cluster-scoped'} but spec.scope is ${scope}: it never matches.`,
        hint: `Set spec.scope to "${namespaced ? 'Namespaced' : 'Cluster'}" or "*" (or omit it).`,
      });
    }
  });

  const specific = p.resources.some((r) => r !== '' && !isWildcardResource(r));
  if (specific && anyGroup) {
    out.push({
      rule: 'api-group-too-broad',
      severity: strictness(options),
      path: 'spec.apiGroups',
      message:
        p.apiGroups === undefined || p.apiGroups.length === 0
          ? 'spec.apiGroups is missing, so it defaults to ["*"]: the rule also matches same-named resources of every other API group (CRDs included).'
          : 'spec.apiGroups ["*"] matches same-named resources of every API group (CRDs included).',
      hint:
        needed.length > 0
          ? `Set apiGroups to ${list(needed)}${allKnown ? '' : ' plus the groups of the other resources'}.`
          : 'Set apiGroups to the exact API groups of the listed resources ("" for core resources such as pods).',
    });
  }
  return out;
}
