// What the server serves: the built-in table plus every CRD in the store, recomputed on each call
// so that creating or deleting a CRD changes discovery at once.
import type { KubeObject } from '../../../lib/k8s/types.ts';
import { BUILTIN_RESOURCES, groupVersion } from '../../../lib/k8s/builtin-resources.ts';
import type { ApiResource } from '../contracts.ts';
import { crdResources } from './crd.ts';

export class Discovery {
  constructor(private readonly crds: () => KubeObject[]) {}

  resources(): ApiResource[] {
    return [...BUILTIN_RESOURCES.map((resource) => ({ ...resource })), ...this.crds().flatMap(crdResources)];
  }

  resourceFor(apiVersion: string, kind: string): ApiResource | undefined {
    return this.resources().find((resource) => groupVersion(resource.group, resource.version) === apiVersion && resource.kind === kind);
  }

  /** Resolves a REST path's group, version and plural. */
  resourceByName(group: string, version: string, plural: string): ApiResource | undefined {
    return this.resources().find((resource) => resource.group === group && resource.version === version && resource.resource === plural);
  }
}
