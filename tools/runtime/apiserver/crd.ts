// CustomResourceDefinitions: what the apiextensions server derives from one (served resources,
// defaulted names, the status its controllers write once the names are accepted) and its validation.
import type { KubeObject } from '../../../lib/k8s/types.ts';
import type { ApiResource } from '../contracts.ts';
import type { Schema } from './schema.ts';

const CRD_GROUP = 'apiextensions.k8s.io';
const CRD_KIND = 'CustomResourceDefinition';

/** Where CRDs themselves are stored. */
export const CRD_RESOURCE = { group: CRD_GROUP, resource: 'customresourcedefinitions', namespaced: false };

interface CrdVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  subresources?: { status?: unknown };
  schema?: { openAPIV3Schema?: Schema };
}

interface CrdNames {
  kind?: string;
  plural?: string;
  singular?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: CrdNames;
  versions?: CrdVersion[];
  conversion?: unknown;
  preserveUnknownFields?: boolean;
}

function specOf(crd: KubeObject): CrdSpec {
  return (crd.spec ?? {}) as CrdSpec;
}

export function isCrd(object: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean {
  return object.apiVersion === `${CRD_GROUP}/v1` && object.kind === CRD_KIND;
}

/** The group and plural a CRD's instances are stored under. */
export function crdGroupResource(crd: KubeObject): { group: string; resource: string } {
  const spec = specOf(crd);
  return { group: spec.group ?? '', resource: spec.names?.plural ?? '' };
}

/** One resource per served version. */
export function crdResources(crd: KubeObject): ApiResource[] {
  const spec = specOf(crd);
  const { group, resource } = crdGroupResource(crd);
  return (spec.versions ?? [])
    .filter((version) => version.served !== false && version.name)
    .map((version) => ({
      group,
      version: version.name as string,
      kind: spec.names?.kind ?? '',
      resource,
      namespaced: spec.scope === 'Namespaced',
      statusSubresource: version.subresources?.status !== undefined,
    }));
}

/** The openAPIV3Schema of one version; undefined when the version has none (nothing is pruned or validated then). */
export function crdVersionSchema(crd: KubeObject, version: string): Schema | undefined {
  return (specOf(crd).versions ?? []).find((v) => v.name === version)?.schema?.openAPIV3Schema;
}

/** spec.preserveUnknownFields (a v1beta1 leftover): no pruning. */
export function crdPreservesUnknownFields(crd: KubeObject): boolean {
  return specOf(crd).preserveUnknownFields === true;
}

/** Field errors in the apiextensions validation wording; empty when the CRD is acceptable. */
export function validateCrd(crd: KubeObject): string[] {
  const spec = specOf(crd);
  const errors: string[] = [];
  const name = crd.metadata.name ?? '';
  if (spec.group && spec.names?.plural && name !== `${spec.names.plural}.${spec.group}`) {
    errors.push(`metadata.name: Invalid value: "${name}": must be spec.names.plural+"."+spec.group`);
  }
  if (!spec.group) errors.push('spec.group: Required value');
  if (!spec.names?.plural) errors.push('spec.names.plural: Required value');
  if (!spec.names?.kind) errors.push('spec.names.kind: Required value');
  if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') {
    errors.push(
      spec.scope ? `spec.scope: Unsupported value: "${spec.scope}": supported values: "Cluster", "Namespaced"` : 'spec.scope: Required value',
    );
  }
  const versions = spec.versions ?? [];
  if (versions.length === 0) errors.push('spec.versions: Invalid value: "null": must have exactly one version marked as storage version');
  else if (versions.filter((version) => version.storage).length !== 1) {
    errors.push('spec.versions: Invalid value: must have exactly one version marked as storage version');
  }
  return errors;
}

/** SetDefaults_CustomResourceDefinitionSpec, on create and update. */
export function defaultCrdSpec(crd: KubeObject): void {
  const spec = specOf(crd);
  if (spec.names) {
    spec.names.singular ||= (spec.names.kind ?? '').toLowerCase();
    spec.names.listKind ||= `${spec.names.kind ?? ''}List`;
  }
  spec.conversion ??= { strategy: 'None' };
}

/** The status the naming and establishing controllers write right after a CRD is created. */
export function establishCrd(crd: KubeObject, timestamp: string): void {
  const storage = (specOf(crd).versions ?? []).find((version) => version.storage)?.name;
  crd.status = {
    acceptedNames: { ...specOf(crd).names },
    conditions: [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: timestamp },
      {
        type: 'Established',
        status: 'True',
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
        lastTransitionTime: timestamp,
      },
    ],
    storedVersions: storage ? [storage] : [],
  };
}

/** After an update the naming controller accepts the (possibly changed) names; conditions stay as they were. */
export function acceptCrdNames(crd: KubeObject): void {
  crd.status = { ...(crd.status as Record<string, unknown> | undefined), acceptedNames: { ...specOf(crd).names } };
}
