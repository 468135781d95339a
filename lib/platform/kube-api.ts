import type { KubeObject } from '../k8s/types.ts';
import type { Platform } from './platform.ts';
import { parseJsonBounded, type JsonBounds } from '../model/bounded-json.ts';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export type StatusWrite = { ok: true; object: KubeObject } | { ok: false; code: number; reason: string; message: string };

/**
 * jsPolicy's update() is a PUT of the main resource, where the API server ignores .status; so
 * status goes to the /status subresource over HTTPS with the pod's service-account token. TLS:
 * fetchSync trusts only system roots, so the chart sets SSL_CERT_DIR to the service-account
 * directory, which holds the cluster CA (see README, "Install").
 */
interface Connection {
  base: string;
  token: string;
}

type Failure = { ok: false; code: number; reason: string; message: string };

function connection(platform: Platform): Connection | Failure {
  const host = platform.env('KUBERNETES_SERVICE_HOST');
  const port = platform.env('KUBERNETES_SERVICE_PORT') || '443';
  const token = platform.readFile(`${SA_DIR}/token`);
  if (!host || !token) return { ok: false, code: 0, reason: 'NoServiceAccount', message: 'KUBERNETES_SERVICE_HOST or the service-account token is missing: not running in a pod?' };
  return { base: `https://${host.includes(':') ? `[${host}]` : host}:${port}`, token: token.trim() };
}

function send(platform: Platform, url: string, options: FetchSyncOptions): { response: FetchSyncResponse } | Failure {
  try {
    return { response: platform.fetch(url, options) };
  } catch (thrown) {
    return { ok: false, code: 0, reason: 'Unreachable', message: String(thrown) };
  }
}

function failure(response: FetchSyncResponse, body: unknown): Failure {
  const status = (body ?? {}) as { reason?: string; message?: string };
  return { ok: false, code: response.status, reason: status.reason ?? response.statusText, message: status.message ?? response.text() ?? '' };
}

export function writeStatus(platform: Platform, object: KubeObject, plural: string): StatusWrite {
  const api = connection(platform);
  if ('ok' in api) return api;
  const [group, version] = object.apiVersion.split('/');
  const namespace = object.metadata.namespace ? `namespaces/${object.metadata.namespace}/` : '';
  const url = `${api.base}/apis/${group}/${version}/${namespace}${plural}/${object.metadata.name}/status`;
  const sent = send(platform, url, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(object),
  });
  if ('ok' in sent) return sent;
  const response = sent.response;
  const body = parseJson(response.text());
  if (response.ok && body) return { ok: true, object: body as KubeObject };
  return failure(response, body);
}

export type ApiRead = { ok: true; value: unknown; bytes: number } | Failure;

/**
 * A GET of an API path (discovery) with the pod's service-account token. The answer is parsed
 * within bounds: it comes from the cluster, but a CRD author chooses part of its size.
 */
export function readApi(platform: Platform, path: string, accept: string, bounds: JsonBounds): ApiRead {
  const api = connection(platform);
  if ('ok' in api) return api;
  const sent = send(platform, `${api.base}${path}`, { method: 'GET', headers: { Authorization: `Bearer ${api.token}`, Accept: accept } });
  if ('ok' in sent) return sent;
  const response = sent.response;
  const text = response.text() ?? '';
  if (!response.ok) return failure(response, parseJson(text));
  const read = parseJsonBounded(text, bounds);
  if (!read.ok) return { ok: false, code: response.status, reason: 'InvalidResponse', message: `${path}: ${read.problem}` };
  return { ok: true, value: read.value, bytes: text.length };
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
