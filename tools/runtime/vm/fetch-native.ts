// __fetchSync (pkg/vm/vm.go fetchFn). URLs under access.apiServerUrls are answered in-process by the
// in-memory API server; loopback hosts (and any host when access.allowNetwork) get real HTTP through
// sync-fetch; every other host fails as an unresolvable name would, without touching the network.
// Errors come back as {__throw: "fetchSync: <Go error>"}, which the prepare script throws as a string.
import { STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import type { RunOptions } from '../contracts.ts';
import type { HostNative } from '../engine/protocol.ts';
import { jsonOf } from './cluster-natives.ts';
import { goUnmarshal, sortKeys, type GoType } from './go-json.ts';
import { goUtf8 } from './go-utf8.ts';
import { httpSync, type HttpResult } from './sync-fetch.ts';

const FETCH_OPTIONS: GoType = {
  kind: 'struct',
  name: 'FetchOptions',
  pkg: 'vm',
  fields: {
    method: { kind: 'string' },
    headers: { kind: 'map', name: 'map[string]string', elem: { kind: 'string' } },
    insecure: { kind: 'bool' },
    body: { kind: 'string' },
  },
};

// Go's http.StatusText where it differs from Node's STATUS_CODES.
const GO_STATUS_TEXT: Record<number, string> = {
  413: 'Request Entity Too Large',
  414: 'Request URI Too Long',
  416: 'Requested Range Not Satisfiable',
  418: "I'm a teapot",
};

// RFC 7230 token: what http.NewRequest accepts as a method.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function fetchNative(options: RunOptions): HostNative {
  const access = options.access ?? {};
  const answer = (fields: Record<string, unknown>) => JSON.stringify(fields);
  const fail = (error: string) => answer({ __throw: `fetchSync: ${error}` });

  return (args) => {
    if (args.length === 0) return fail('no arguments provided');
    if (args[0]!.type !== 'string') return fail('url is not a string');
    const url = args[0]!.value!;
    let fetchOptions = { method: '', headers: null as Record<string, string> | null, insecure: false, body: '' };
    if (args.length > 1 && args[1]!.type !== 'undefined') {
      if (args[1]!.error !== undefined) return fail(`error stringify options: ${args[1]!.error}`);
      const decoded = goUnmarshal(jsonOf(args[1]!), FETCH_OPTIONS);
      if ('error' in decoded) return fail(`error unmarshalling options: ${decoded.error}`);
      fetchOptions = decoded.value as typeof fetchOptions;
    }
    const method = fetchOptions.method ? fetchOptions.method.toUpperCase() : 'GET';
    if (!TOKEN.test(method)) return fail(`create request: net/http: invalid method ${JSON.stringify(method)}`);
    // Request headers are canonicalised by req.Header.Add; Go never sends a Host header from the map.
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(fetchOptions.headers ?? {})) {
      const canonical = canonicalHeader(name);
      if (canonical !== 'Host' && !(canonical in headers)) headers[canonical] = value;
    }
    // url.Error: Op is the method as "Get"/"Post", URL the request URL.
    const transportError = (detail: string, at = url) => fail(`${method[0]}${method.slice(1).toLowerCase()} ${JSON.stringify(at)}: ${detail}`);

    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase() ?? '';
    if (scheme !== 'http' && scheme !== 'https') return transportError(`unsupported protocol scheme ${JSON.stringify(scheme)}`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return fail(`create request: parse ${JSON.stringify(url)}: invalid URL`);
    }
    const body = fetchOptions.body || undefined;

    const apiServer = access.apiServerUrls?.find((prefix) => url.startsWith(prefix));
    if (apiServer !== undefined) {
      const path = url.slice(apiServer.length);
      const reply = options.cluster
        ? options.cluster.handleHttp({ method, path: path.startsWith('/') ? path : `/${path}`, headers, body })
        : { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: '404 page not found\n' };
      return respond(reply.status, goStatus(reply.status), Object.entries(reply.headers), reply.body);
    }

    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!access.allowNetwork && !isLoopback(host)) {
      if (isIP(host) === 0) return transportError(`dial tcp: lookup ${host}: no such host`);
      const port = parsed.port || (scheme === 'https' ? '443' : '80');
      return transportError(`dial tcp ${isIP(host) === 6 ? `[${host}]` : host}:${port}: connect: network is unreachable`);
    }
    const result: HttpResult = httpSync({ method, url, headers, body, insecure: fetchOptions.insecure });
    if ('transport' in result) return transportError(result.transport, result.url);
    if ('plain' in result) return fail(result.plain);
    const status = result.statusMessage ? `${result.status} ${result.statusMessage}` : String(result.status);
    // Header values arrive as bytes (latin1 strings); Go marshals them as UTF-8 like the body.
    const responseHeaders = result.headers.map(([name, value]): [string, string] => [name, goUtf8(Buffer.from(value, 'latin1'))]);
    return respond(result.status, status, responseHeaders, goUtf8(result.body));
  };

  // FetchResponse {__throw, __body, headers, status, statusText}, all omitempty; headers keep the
  // first value under Go's canonical name.
  function respond(status: number, statusText: string, headers: Array<[string, string]>, body: string): string {
    const headerMap: Record<string, string> = {};
    for (const [name, value] of headers) {
      const canonical = canonicalHeader(name);
      if (!(canonical in headerMap)) headerMap[canonical] = value;
    }
    return answer({
      ...(body && { __body: body }),
      ...(Object.keys(headerMap).length && { headers: sortKeys(headerMap) }),
      ...(status && { status }),
      ...(statusText && { statusText }),
    });
  }
}

function goStatus(code: number): string {
  const text = GO_STATUS_TEXT[code] ?? STATUS_CODES[code];
  return text ? `${code} ${text}` : `${code} status code ${code}`;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

// textproto.CanonicalMIMEHeaderKey: names with characters outside a token are left as they are.
function canonicalHeader(name: string): string {
  if (!TOKEN.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}
