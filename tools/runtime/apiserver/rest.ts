// The REST subset callers reach over HTTP (fetchSync to the API server): CRUD on
// /api/v1/... and /apis/<group>/<version>/..., including the status subresource.
import { groupVersion } from '../../../lib/k8s/builtin-resources.ts';
import type { KubeObject } from '../../../lib/k8s/types.ts';
import type { ApiResource, Cluster, StatusFailure, UserInfo, WriteResult } from '../contracts.ts';
import { parseFieldSelector } from './field-selectors.ts';
import { byteLength, requestEntityTooLarge } from './limits.ts';
import { badRequest, notFound, resourceNotServed } from './status.ts';
import { discoveryDocument } from './discovery-documents.ts';

export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RestOptions {
  /** Bearer token every request must carry; no authentication when absent. */
  token?: string;
  user: UserInfo;
}

interface Route {
  resource: ApiResource;
  apiVersion: string;
  namespace?: string;
  name?: string;
  status: boolean;
}

function respond(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

function fail(failure: Pick<StatusFailure, 'code' | 'reason' | 'message'>): HttpResponse {
  const status: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: failure.message };
  // metav1.Status omits an empty reason.
  if (failure.reason) status.reason = failure.reason;
  status.code = failure.code;
  return respond(failure.code, status);
}

function header(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

function parseRoute(cluster: Cluster, pathname: string): Route | StatusFailure {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments[1] === 'v1') [group, version, rest] = ['', 'v1', segments.slice(2)];
  else if (segments[0] === 'apis' && segments.length >= 3) [group, version, rest] = [segments[1], segments[2], segments.slice(3)];
  else return resourceNotServed();
  const find = (plural: string | undefined) =>
    cluster.resources().find((resource) => resource.group === group && resource.version === version && resource.resource === plural);
  let namespace: string | undefined;
  // "namespaces/<ns>/<plural>" is a namespaced path only when <plural> is namespaced: "namespaces/<ns>/status" is a Namespace's subresource.
  if (rest[0] === 'namespaces' && rest.length >= 3 && find(rest[2])?.namespaced) [namespace, rest] = [rest[1], rest.slice(2)];
  const resource = find(rest[0]);
  const [, name, subresource, ...extra] = rest;
  if (!resource || extra.length > 0 || (subresource !== undefined && subresource !== 'status')) return resourceNotServed();
  if (resource.namespaced ? name !== undefined && namespace === undefined : namespace !== undefined) return resourceNotServed();
  return { resource, apiVersion: groupVersion(group, version), namespace, name, status: subresource === 'status' };
}

/** The request body as an object of the route's kind, or why it cannot be one. */
function parseBody(route: Route, body: string | undefined): { ok: true; object: KubeObject } | StatusFailure {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch (error) {
    return badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return badRequest("couldn't get version/kind; json parse error: the body is not a JSON object");
  }
  const object = { ...(parsed as KubeObject) };
  object.apiVersion ??= route.apiVersion;
  object.kind ??= route.resource.kind;
  object.metadata = { ...object.metadata };
  if (object.apiVersion !== route.apiVersion) {
    return badRequest(`the API version in the data (${object.apiVersion}) does not match the expected API version (${route.apiVersion})`);
  }
  if (object.kind !== route.resource.kind) {
    return badRequest(`${object.kind} in version "${route.apiVersion}" cannot be handled as a ${route.resource.kind}`);
  }
  if (route.namespace !== undefined) {
    if (object.metadata.namespace && object.metadata.namespace !== route.namespace) {
      return badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    object.metadata.namespace = route.namespace;
  }
  return { ok: true, object };
}

function answer(result: WriteResult, successStatus: number): HttpResponse {
  return result.ok ? respond(successStatus, result.object) : fail(result);
}

function read(cluster: Cluster, route: Route, query: URLSearchParams): HttpResponse {
  const { resource, apiVersion, namespace, name } = route;
  if (name !== undefined) {
    const object = cluster.get(apiVersion, resource.kind, namespace, name);
    return object ? respond(200, object) : fail(notFound(resource, name));
  }
  let items: KubeObject[];
  try {
    items = cluster.list(apiVersion, resource.kind, { namespace, labelSelector: query.get('labelSelector') ?? undefined });
  } catch (error) {
    return fail(badRequest((error as Error).message));
  }
  const fieldSelector = query.get('fieldSelector');
  if (fieldSelector) {
    const matches = parseFieldSelector(fieldSelector, { apiVersion, kind: resource.kind });
    if ('error' in matches) return fail(badRequest(matches.error));
    items = items.filter(matches);
  }
  return respond(200, { apiVersion, kind: `${resource.kind}List`, metadata: {}, items });
}

function write(cluster: Cluster, route: Route, method: string, body: string | undefined, user: UserInfo): HttpResponse {
  const { resource, apiVersion, namespace, name, status } = route;
  if (method === 'DELETE' && name !== undefined && !status) return answer(cluster.remove(apiVersion, resource.kind, namespace, name, user), 200);
  const creating = method === 'POST' && name === undefined;
  const replacing = method === 'PUT' && name !== undefined;
  if (!creating && !replacing) return fail({ code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' });
  const tooLarge = requestEntityTooLarge(byteLength(body ?? ''));
  if (tooLarge) return fail(tooLarge);
  const parsed = parseBody(route, body);
  if (!parsed.ok) return fail(parsed);
  const object = parsed.object;
  if (creating) return answer(cluster.create(object, user), 201);
  if (object.metadata.name !== name) {
    return fail(badRequest(`the name of the object (${object.metadata.name ?? ''}) does not match the name on the URL (${name})`));
  }
  return answer(status ? cluster.updateStatus(object, user) : cluster.update(object, user), 200);
}

// The API server's bearer authenticator takes the scheme in any case (RFC 7235).
function bearerMatches(value: string | undefined, token: string): boolean {
  const match = /^bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return match?.[1] === token;
}

export function handleRest(cluster: Cluster, request: HttpRequest, options: RestOptions): HttpResponse {
  if (options.token !== undefined && !bearerMatches(header(request.headers, 'authorization'), options.token)) {
    return fail({ code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
  }
  const url = new URL(request.path, 'https://kubernetes.default.svc');
  const method = request.method.toUpperCase();
  const document = method === 'GET' ? discoveryDocument(cluster.resources(), url.pathname, header(request.headers, 'accept')) : undefined;
  if (document) return { status: 200, headers: { 'Content-Type': document.contentType }, body: JSON.stringify(document.body) };
  const route = parseRoute(cluster, url.pathname);
  if ('ok' in route) return fail(route);
  return method === 'GET' ? read(cluster, route, url.searchParams) : write(cluster, route, method, request.body, options.user);
}
