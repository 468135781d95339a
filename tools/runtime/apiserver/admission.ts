// Admission as the API server runs webhooks: mutating first (its patch replaces the object), then
// validating; each hook receives a full AdmissionRequest like an AdmissionReview would carry.
import { randomUUID } from 'node:crypto';
import type { AdmissionRequest, KubeObject } from '../../../lib/k8s/types.ts';
import type { AdmissionHook, ApiResource, StatusFailure, UserInfo } from '../contracts.ts';
import { clone } from './json.ts';

export const DEFAULT_USER: UserInfo = { username: 'system:admin', groups: ['system:masters'] };

export interface AdmissionAttributes {
  operation: AdmissionRequest['operation'];
  resource: ApiResource;
  subResource?: 'status';
  name: string | undefined;
  namespace: string | undefined;
  object: KubeObject | null;
  oldObject: KubeObject | null;
  user: UserInfo;
}

export interface AdmissionHooks {
  mutating?: AdmissionHook;
  validating?: AdmissionHook;
}

function buildRequest(attributes: AdmissionAttributes): AdmissionRequest {
  const { resource, subResource } = attributes;
  const kind = { group: resource.group, version: resource.version, kind: resource.kind };
  const gvr = { group: resource.group, version: resource.version, resource: resource.resource };
  const request: AdmissionRequest = {
    uid: randomUUID(),
    kind,
    resource: gvr,
    requestKind: { ...kind },
    requestResource: { ...gvr },
    operation: attributes.operation,
    userInfo: clone(attributes.user),
    object: attributes.object && clone(attributes.object),
    oldObject: attributes.oldObject && clone(attributes.oldObject),
    dryRun: false,
    options: null,
  };
  if (subResource) {
    request.subResource = subResource;
    request.requestSubResource = subResource;
  }
  // Go's omitempty: empty names and the namespace of cluster-scoped objects are absent.
  if (attributes.name) request.name = attributes.name;
  if (resource.namespaced && attributes.namespace) request.namespace = attributes.namespace;
  return request;
}

function denial(verdict: { code?: number; reason?: string; message?: string }): StatusFailure {
  return { ok: false, code: verdict.code ?? 403, reason: verdict.reason ?? 'Forbidden', message: verdict.message ?? '' };
}

type Writing = AdmissionAttributes & { object: KubeObject };

/** Runs the mutating hook on a create or update; answers the object to continue with (its patch when there is one). */
export function mutate(hooks: AdmissionHooks, attributes: Writing): { ok: true; object: KubeObject } | StatusFailure {
  if (!hooks.mutating) return { ok: true, object: attributes.object };
  const verdict = hooks.mutating(buildRequest(attributes));
  if (!verdict.allowed) return denial(verdict);
  return { ok: true, object: clone(verdict.patchedObject ?? attributes.object) };
}

export function validate(hooks: AdmissionHooks, attributes: Writing): StatusFailure | undefined {
  if (!hooks.validating) return undefined;
  const verdict = hooks.validating(buildRequest(attributes));
  return verdict.allowed ? undefined : denial(verdict);
}

/** A DELETE carries no object, so a mutating hook can only deny it. */
export function admitDelete(hooks: AdmissionHooks, attributes: AdmissionAttributes): StatusFailure | undefined {
  for (const hook of [hooks.mutating, hooks.validating]) {
    const verdict = hook?.(buildRequest(attributes));
    if (verdict && !verdict.allowed) return denial(verdict);
  }
  return undefined;
}
