// The kinds a description names, read by code from the user's own words (as intent-namespaces.ts
// reads the namespaces): what a policy may reach beyond namespaces must be there for the person who
// approves it to read, whatever the model made of it.
import type { ServedResource } from '../k8s/builtin-resources.ts';

export const RBAC_RESOURCES = ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'];

/** Words that name kinds without spelling them: kubectl's short names of cluster-scoped kinds, "RBAC". */
const ALIASES: Record<string, string[]> = {
  rbac: RBAC_RESOURCES,
  ns: ['namespaces'],
  pv: ['persistentvolumes'],
  pvs: ['persistentvolumes'],
  sc: ['storageclasses'],
  pc: ['priorityclasses'],
};

// "Cluster Role Bindings" is three words; five covers every built-in kind.
const MAX_WORDS = 5;

function spellings(s: ServedResource): string[] {
  const kind = s.kind.toLowerCase();
  const plural = kind.endsWith('y') ? kind.slice(0, -1) + 'ies' : kind.endsWith('s') ? kind + 'es' : kind + 's';
  return [kind, plural, s.resource];
}

/**
 * Plural resource names of the served kinds a description names: "RoleBinding", "rolebindings",
 * "role bindings", "Role-Binding" all name rolebindings; "cluster roles" names clusterroles and
 * not roles (the longest reading wins).
 */
export function kindsNamedIn(description: string, served: readonly ServedResource[]): string[] {
  const byName = new Map<string, string[]>();
  const add = (name: string, resources: string[]): void => {
    const known = byName.get(name) ?? [];
    byName.set(name, known.concat(resources.filter((r) => known.indexOf(r) < 0)));
  };
  for (const s of served) for (const name of spellings(s)) add(name, [s.resource]);
  for (const name of Object.keys(ALIASES)) add(name, ALIASES[name] ?? []);

  const words = description.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
  const found: string[] = [];
  for (let i = 0; i < words.length; ) {
    let taken = 1;
    for (let n = Math.min(MAX_WORDS, words.length - i); n >= 1; n--) {
      const resources = byName.get(words.slice(i, i + n).join(''));
      if (resources === undefined) continue;
      for (const r of resources) if (found.indexOf(r) < 0) found.push(r);
      taken = n;
      break;
    }
    i += taken;
  }
  return found;
}
