import type { ServedResource } from './builtin-resources.ts';

// What discovery would report for a CustomResourceDefinition: one served resource per served
// version. Used by the linter in the controller (CRDs read uncached) and by the CLI (--cluster).
interface Crd {
  kind?: string;
  apiVersion?: string;
  spec?: {
    group?: string;
    scope?: string;
    names?: { kind?: string; plural?: string };
    versions?: Array<{ name?: string; served?: boolean; subresources?: { status?: unknown } }>;
    version?: string;
    subresources?: { status?: unknown };
  };
}

/** The served resources of a CRD; [] for anything that is not one. */
export function crdToServedResources(crd: unknown): ServedResource[] {
  const c = crd as Crd;
  if (c?.kind !== 'CustomResourceDefinition' || !c.spec?.group || !c.spec.names?.plural) return [];
  const { group, names, scope } = c.spec;
  const versions = c.spec.versions ?? (c.spec.version ? [{ name: c.spec.version, served: true, subresources: c.spec.subresources }] : []);
  return versions
    .filter((v) => v.name && v.served !== false)
    .map((v) => ({
      group,
      version: v.name as string,
      kind: names.kind ?? '',
      resource: names.plural as string,
      namespaced: scope !== 'Cluster',
      statusSubresource: !!(v.subresources?.status ?? c.spec?.subresources?.status),
    }));
}

