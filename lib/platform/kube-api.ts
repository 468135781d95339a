import type { KubeObject } from '../k8s/types.ts';
import type { Platform } from './platform.ts';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export type StatusWrite = { ok: true; object: KubeObject } | { ok: false; code: number; reason: string; message: string };

/**
 * jsPolicy's update() is a PUT of the main resource, where the API server ignores .status; so
 * status goes to the /status subresource over HTTPS with the pod's service-account token. TLS:
 * fetchSync trusts only system roots, so the chart sets SSL_CERT_DIR to the service-account
 * directory, which holds the cluster CA (see README, "Install").
 */
export function writeStatus(platform: Platform, object: KubeObject, plural: string): StatusWrite {
  const host = platform.env('KUBERNETES_SERVICE_HOST');
  const port = platform.env('KUBERNETES_SERVICE_PORT') || '443';
  const token = platform.readFile(`${SA_DIR}/token`);
  if (!host || !token) return { ok: false, code: 0, reason: 'NoServiceAccount', message: 'KUBERNETES_SERVICE_HOST or the service-account token is missing: not running in a pod?' };
  const [group, version] = object.apiVersion.split('/');
  const base = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const url = `${base}/apis/${group}/${version}/${plural}/${object.metadata.name}/status`;
  let response: FetchSyncResponse;
  try {
    response = platform.fetch(url, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token.trim()}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(object),
    });
  } catch (thrown) {
    return { ok: false, code: 0, reason: 'Unreachable', message: String(thrown) };
  }
  const body = parseJson(response.text());
  if (response.ok && body) return { ok: true, object: body as KubeObject };
  const status = (body ?? {}) as { reason?: string; message?: string };
  return { ok: false, code: response.status, reason: status.reason ?? response.statusText, message: status.message ?? response.text() ?? '' };
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
