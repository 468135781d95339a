// Controller-policy work keys and the minimal admission.Request jsPolicy builds for them
// (pkg/controller/policy.go:176-265).
import type { AdmissionRequest, KubeObject } from '../../../lib/k8s/types.ts';

export interface ControllerKey {
  group: string;
  version: string;
  kind: string;
  /** "" for cluster-scoped objects. */
  namespace: string;
  name: string;
}

/** "<version>|<group>|<Kind>|<namespace>|<name>" */
export function formatKey(key: ControllerKey): string {
  return `${key.version}|${key.group}|${key.kind}|${key.namespace}|${key.name}`;
}

export function parseKey(key: string): ControllerKey {
  const parts = key.split('|');
  if (parts.length !== 5) throw new Error(`invalid controller key "${key}" (want version|group|Kind|namespace|name)`);
  const [version, group, kind, namespace, name] = parts as [string, string, string, string, string];
  return { version, group, kind, namespace, name };
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Go marshals maps with sorted keys at every level. */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => sortKeysDeep(item)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeysDeep(v);
    }
    return out as T;
  }
  return value;
}

/** CREATE for an existing object (also updates and resyncs), DELETE for a terminating one, DELETE with object null when gone. */
export function controllerOperation(object: KubeObject | undefined): 'CREATE' | 'DELETE' {
  if (!object) return 'DELETE';
  return object.metadata?.deletionTimestamp ? 'DELETE' : 'CREATE';
}

/**
 * Exactly the request a controller run sees: uid "", the kind, an empty resource, name, namespace only for
 * namespaced objects, operation, userInfo {}, the object (keys sorted) or null, oldObject null, options null.
 */
export function buildControllerRequest(key: ControllerKey, object: KubeObject | undefined): AdmissionRequest {
  const request: Record<string, unknown> = {
    uid: '',
    kind: { group: key.group, version: key.version, kind: key.kind },
    resource: { group: '', version: '', resource: '' },
    name: key.name,
  };
  if (key.namespace) request.namespace = key.namespace;
  request.operation = controllerOperation(object);
  request.userInfo = {};
  request.object = object ? sortKeysDeep(JSON.parse(JSON.stringify(object)) as KubeObject) : null;
  request.oldObject = null;
  request.options = null;
  return request as unknown as AdmissionRequest;
}
