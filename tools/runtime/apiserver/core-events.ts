// core/v1 Events (not the watch events of events.ts): the one check of the API server's Event
// validation (pkg/apis/core/validation/events.go legacyValidateEvent) that a recorder meets in
// practice — an Event lives in its object's namespace, or, for a cluster-scoped object, in
// `default` (or none) when it has no eventTime, `default` or `kube-system` when it has one.
import type { KubeObject } from '../../../lib/k8s/types.ts';

/** A core/v1 Event (or its kind, for a list): not the events.k8s.io one. */
export function isCoreEvent(object: { apiVersion?: unknown; kind?: unknown } | undefined): boolean {
  return object?.apiVersion === 'v1' && object.kind === 'Event';
}

/** Field errors of a core/v1 Event, rendered as field.ErrorList renders them; [] for any other object. */
export function validateCoreEvent(object: KubeObject): string[] {
  if (!isCoreEvent(object)) return [];
  const involved = (object.involvedObject ?? {}) as { namespace?: unknown };
  const involvedNamespace = typeof involved.namespace === 'string' ? involved.namespace : '';
  const namespace = object.metadata.namespace ?? '';
  const allowed = object.eventTime ? (involvedNamespace === '' ? ['default', 'kube-system'] : [involvedNamespace]) : involvedNamespace === '' ? ['', 'default'] : [involvedNamespace];
  return allowed.includes(namespace) ? [] : [`involvedObject.namespace: Invalid value: ${JSON.stringify(involvedNamespace)}: does not match event.namespace`];
}
