// The REST strategies' PrepareForCreate/PrepareForUpdate: which fields a write may set, how status
// and generation behave, and the few defaults built-in kinds get from the server itself.
import type { KubeObject } from '../../../lib/k8s/types.ts';
import type { ApiResource } from '../contracts.ts';
import { isNamespace } from './containers.ts';
import { acceptCrdNames, defaultCrdSpec, establishCrd, isCrd } from './crd.ts';
import { jsonEqual } from '../../../lib/util/json-equal.ts';
import { clone } from './json.ts';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function labelNamespace(namespace: KubeObject): void {
  namespace.metadata.labels = { ...namespace.metadata.labels, [NAMESPACE_NAME_LABEL]: namespace.metadata.name ?? '' };
}

/** The object without what does not count as a spec change. */
function specContent(resource: ApiResource, object: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, status, ...rest } = object;
  return resource.statusSubresource ? rest : { ...rest, status };
}

/** Server-set defaults and status on create; with a status subresource the submitted status is discarded. */
export function prepareForCreate(resource: ApiResource, object: KubeObject, timestamp: string): void {
  if (resource.statusSubresource) delete object.status;
  if (isNamespace(object)) {
    labelNamespace(object);
    const spec = (object.spec ?? {}) as { finalizers?: string[] };
    object.spec = { ...spec, finalizers: spec.finalizers ?? ['kubernetes'] };
    object.status = { phase: 'Active' };
  } else if (object.apiVersion === 'v1' && object.kind === 'Pod') {
    object.status = { phase: 'Pending' };
  } else if (isCrd(object)) {
    defaultCrdSpec(object);
    establishCrd(object, timestamp);
  }
}

/** A PUT of the main resource: system metadata and (with a status subresource) status come from the stored object. */
export function prepareForUpdate(resource: ApiResource, object: KubeObject, old: KubeObject): void {
  const { uid, creationTimestamp, deletionTimestamp, generation } = old.metadata;
  const gracePeriod = (old.metadata as Record<string, unknown>).deletionGracePeriodSeconds;
  object.metadata = { ...object.metadata, uid, creationTimestamp, deletionTimestamp, generation };
  (object.metadata as Record<string, unknown>).deletionGracePeriodSeconds = gracePeriod;
  if (resource.statusSubresource) {
    if (old.status === undefined) delete object.status;
    else object.status = clone(old.status);
  }
  if (isNamespace(object)) {
    labelNamespace(object);
    // Only the /finalize subresource may change spec.finalizers.
    object.spec = { ...(object.spec as object), finalizers: (old.spec as { finalizers?: string[] } | undefined)?.finalizers };
  } else if (isCrd(object)) {
    defaultCrdSpec(object);
    acceptCrdNames(object);
  }
  if (!jsonEqual(specContent(resource, object), specContent(resource, old))) {
    object.metadata.generation = (generation ?? 0) + 1;
  }
}

/** A PUT of the status subresource: everything but .status comes from the stored object. */
export function prepareForStatusUpdate(object: KubeObject, old: KubeObject): KubeObject {
  const next = clone(old);
  if (object.status === undefined) delete next.status;
  else next.status = clone(object.status);
  return next;
}

/** Background deletion of an object that must wait (finalizers, or contents to remove first). */
export function markDeleting(object: KubeObject, timestamp: string): void {
  const metadata = object.metadata;
  // registry.markAsDeleting: the spec-visible state changes, so observers see a new generation.
  if (metadata.generation) metadata.generation += 1;
  metadata.deletionTimestamp = timestamp;
  (metadata as Record<string, unknown>).deletionGracePeriodSeconds = 0;
  if (isNamespace(object)) object.status = { ...(object.status as object | undefined), phase: 'Terminating' };
}
