// The request JSON a webhook run sees: admissionv1.AdmissionRequest round-tripped through Go structs
// (field order of the Go struct, omitempty fields left out, absent object/oldObject/options as null).
import type { AdmissionRequest } from '../../../lib/k8s/types.ts';

export function toWireRequest(request: AdmissionRequest): AdmissionRequest {
  const out: Record<string, unknown> = {
    uid: request.uid ?? '',
    kind: { group: request.kind?.group ?? '', version: request.kind?.version ?? '', kind: request.kind?.kind ?? '' },
    resource: { group: request.resource?.group ?? '', version: request.resource?.version ?? '', resource: request.resource?.resource ?? '' },
  };
  if (request.subResource) out.subResource = request.subResource;
  if (request.requestKind) out.requestKind = { group: request.requestKind.group ?? '', version: request.requestKind.version ?? '', kind: request.requestKind.kind ?? '' };
  if (request.requestResource) {
    out.requestResource = { group: request.requestResource.group ?? '', version: request.requestResource.version ?? '', resource: request.requestResource.resource ?? '' };
  }
  if (request.requestSubResource) out.requestSubResource = request.requestSubResource;
  if (request.name) out.name = request.name;
  if (request.namespace) out.namespace = request.namespace;
  out.operation = request.operation;
  const user = request.userInfo ?? {};
  const userInfo: Record<string, unknown> = {};
  if (user.username) userInfo.username = user.username;
  if (user.uid) userInfo.uid = user.uid;
  if (user.groups && user.groups.length > 0) userInfo.groups = user.groups;
  if (user.extra && Object.keys(user.extra).length > 0) userInfo.extra = user.extra;
  out.userInfo = userInfo;
  out.object = request.object ?? null;
  out.oldObject = request.oldObject ?? null;
  if (request.dryRun !== undefined && request.dryRun !== null) out.dryRun = request.dryRun;
  out.options = request.options ?? null;
  return JSON.parse(JSON.stringify(out)) as AdmissionRequest;
}
