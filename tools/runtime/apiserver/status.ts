// Failures in the API server's own wording (k8s.io/apimachinery/pkg/api/errors), so callers that
// surface err.Error() see the same text as against a real cluster.
import type { ApiResource, StatusFailure } from '../contracts.ts';

/** "pods" for the core group, "deployments.apps" otherwise (schema.GroupResource.String()). */
function groupResource(resource: Pick<ApiResource, 'group' | 'resource'>): string {
  return resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`;
}

/** "Pod" for the core group, "Deployment.apps" otherwise (schema.GroupKind.String()). */
function groupKind(resource: Pick<ApiResource, 'group' | 'kind'>): string {
  return resource.group === '' ? resource.kind : `${resource.kind}.${resource.group}`;
}

function failure(code: number, reason: string, message: string): StatusFailure {
  return { ok: false, code, reason, message };
}

export function notFound(resource: Pick<ApiResource, 'group' | 'resource'>, name: string): StatusFailure {
  return failure(404, 'NotFound', `${groupResource(resource)} "${name}" not found`);
}

export function alreadyExists(resource: ApiResource, name: string): StatusFailure {
  return failure(409, 'AlreadyExists', `${groupResource(resource)} "${name}" already exists`);
}

export function conflict(resource: ApiResource, name: string): StatusFailure {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${groupResource(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
  );
}

/**
 * apierrors.NewInvalid: one field error per entry, e.g. "metadata.name: Required value"; repeated
 * texts are dropped (ErrorList.ToAggregate) and several are bracketed as utilerrors.Aggregate prints them.
 */
export function invalid(resource: Pick<ApiResource, 'group' | 'kind'>, name: string, fieldErrors: string[]): StatusFailure {
  const unique = [...new Set(fieldErrors)];
  const detail = unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
  return failure(422, 'Invalid', `${groupKind(resource)} "${name}" is invalid: ${detail}`);
}

/**
 * The generic registry's refusal of an update without resourceVersion when the strategy does not
 * AllowUnconditionalUpdate (custom resources). Its GroupKind carries the resource, not the kind
 * (registry/store.go: "The Invalid error should have a field for Resource"). The value is the
 * uint64 0, printed as JSON since Kubernetes 1.34 (0x0 before).
 */
export function resourceVersionRequired(resource: Pick<ApiResource, 'group' | 'resource'>, name: string): StatusFailure {
  return invalid({ group: resource.group, kind: resource.resource }, name, ['metadata.resourceVersion: Invalid value: 0: must be specified for an update']);
}

export function forbidden(resource: Pick<ApiResource, 'group' | 'resource'>, name: string, why: string): StatusFailure {
  return failure(403, 'Forbidden', `${groupResource(resource)} "${name}" is forbidden: ${why}`);
}

export function methodNotSupported(resource: Pick<ApiResource, 'group' | 'resource'>, verb: string): StatusFailure {
  return failure(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${groupResource(resource)}"`);
}

export function badRequest(message: string): StatusFailure {
  return failure(400, 'BadRequest', message);
}

/** A path or subresource the server does not serve. */
export function resourceNotServed(): StatusFailure {
  return failure(404, 'NotFound', 'the server could not find the requested resource');
}

/** The REST mapper's error, not a Status: jsPolicy reports it without a reason. */
export function noKindMatch(apiVersion: string, kind: string): StatusFailure {
  return failure(404, '', `no matches for kind "${kind}" in version "${apiVersion}"`);
}

/** A plain storage error (etcd3 store), which clients see without a reason. */
export function resourceVersionOnCreate(): StatusFailure {
  return failure(500, '', 'resourceVersion should not be set on objects to be created');
}
