// A Platform whose fetchSync reaches an in-memory API server over its HTTP surface, as the
// controller's does in a pod: for code that talks to the API server over HTTP (discovery), outside
// a controller run. `plainOnly` plays a server without aggregated discovery.
import type { Platform } from '../../lib/platform/platform.ts';
import type { InMemoryCluster } from '../runtime/apiserver/index.ts';

const HOST = '10.96.0.1';

export function platformOverHttp(cluster: InMemoryCluster, token: string, options: { plainOnly?: boolean; onRequest?: (path: string) => void } = {}): Platform {
  const platform = {
    env: (name: string) => ({ KUBERNETES_SERVICE_HOST: HOST, KUBERNETES_SERVICE_PORT: '443' })[name] ?? '',
    readFile: () => token,
    fetch: (url: string, fetchOptions: FetchSyncOptions) => {
      const path = url.replace(`https://${HOST}:443`, '');
      options.onRequest?.(path);
      const headers = { ...(fetchOptions.headers ?? {}) } as Record<string, string>;
      if (options.plainOnly) headers.Accept = 'application/json';
      const r = cluster.handleHttp({ method: fetchOptions.method ?? 'GET', path, headers });
      return { ok: r.status < 300, status: r.status, statusText: '', headers: r.headers, text: () => r.body, json: () => JSON.parse(r.body) };
    },
  };
  return platform as unknown as Platform;
}
