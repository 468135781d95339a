import { createServer } from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, RunOptions } from '../../tools/runtime/contracts.ts';
import { runPolicyScript } from '../../tools/runtime/vm/index.ts';

// fetchSync blocks this thread, so the server lives in a worker thread.
const SERVER = String.raw`
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const zlib = require('node:zlib');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    switch (req.url) {
      case '/text':
        res.writeHead(200, [['Content-Type', 'text/plain'], ['x-multi', 'first'], ['X-Multi', 'second']]);
        return res.end('hello');
      case '/empty':
        res.writeHead(204);
        return res.end();
      case '/missing':
        res.writeHead(404, { 'Content-Type': 'application/json' });
        return res.end('{"error":"nope"}');
      case '/gzip':
        res.writeHead(200, { 'Content-Encoding': 'gzip' });
        return res.end(zlib.gzipSync('unzipped'));
      case '/bad-utf8':
        return res.end(Buffer.from([0x61, 0xe2, 0x82, 0x41]));
      case '/big':
        return res.end('x'.repeat(3 * 1024 * 1024));
      case '/redirect':
        res.writeHead(302, { Location: '/echo' });
        return res.end();
      case '/loop':
        res.writeHead(307, { Location: '/loop' });
        return res.end();
      default:
        res.setHeader('Content-Type', 'application/json');
        return res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    }
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

let worker: Worker;
let base: string;
let closedPort: number;

beforeAll(async () => {
  worker = new Worker(SERVER, { eval: true });
  base = `http://127.0.0.1:${await new Promise<number>((resolve) => worker.once('message', resolve))}`;
  closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
});

afterAll(async () => {
  await worker.terminate();
});

function value(expression: string, extra: Partial<RunOptions> = {}): unknown {
  const outcome = runPolicyScript({ policyName: 'fetch.test.com', javascript: `warn(JSON.stringify({v: (${expression})}))`, request: {}, ...extra });
  if (outcome.kind !== 'completed') throw new Error(outcome.message);
  return JSON.parse(outcome.response.warnings![0]!).v;
}

/** What fetchSync threw, as a string (jsPolicy throws a plain string). */
function thrown(call: string, extra: Partial<RunOptions> = {}): unknown {
  return value(`(() => { try { ${call}; return 'no throw'; } catch (e) { return [typeof e, e]; } })()`, extra);
}

describe('fetchSync against a loopback server', () => {
  it('answers the response object of section 2.4', () => {
    const res = value(`(() => { const r = fetchSync('${base}/text'); return {keys: Object.keys(r), text: r.text(), headers: r.headers, status: r.status, statusText: r.statusText, ok: r.ok}; })()`) as Record<string, unknown>;
    expect(res).toMatchObject({ keys: ['text', 'json', 'headers', 'status', 'statusText', 'ok'], text: 'hello', status: 200, statusText: '200 OK', ok: true });
    // Multi-valued headers keep the first value; Transfer-Encoding is not a header in Go.
    expect(res.headers).toMatchObject({ 'Content-Type': 'text/plain', 'X-Multi': 'first' });
    expect(res.headers).not.toHaveProperty('Transfer-Encoding');
    expect(Object.keys(res.headers as object)).toEqual([...Object.keys(res.headers as object)].sort());
  });

  it('an empty body: text() undefined, json() throws', () => {
    expect(value(`(() => { const r = fetchSync('${base}/empty'); let j; try { r.json() } catch (e) { j = e.name } return [r.text() === undefined, j, r.status, r.statusText, r.ok]; })()`))
      .toEqual([true, 'SyntaxError', 204, '204 No Content', true]);
  });

  it('4xx does not throw', () => {
    expect(value(`(() => { const r = fetchSync('${base}/missing'); return [r.ok, r.status, r.statusText, r.json()]; })()`))
      .toEqual([false, 404, '404 Not Found', { error: 'nope' }]);
  });

  it('method upper-cased, headers canonical, body sent, Go user agent', () => {
    const echo = value(`fetchSync('${base}/echo?q=1', {method: 'post', headers: {'x-token': 'abc'}, body: '{"a":1}'}).json()`) as Record<string, any>;
    expect(echo).toMatchObject({ method: 'POST', url: '/echo?q=1', body: '{"a":1}' });
    expect(echo.headers).toMatchObject({ 'x-token': 'abc', 'user-agent': 'Go-http-client/1.1', 'accept-encoding': 'gzip', 'content-length': '7' });
  });

  it('gzip is decoded transparently; redirects are followed (302 → GET)', () => {
    expect(value(`(() => { const r = fetchSync('${base}/gzip'); return [r.text(), r.headers['Content-Encoding'] ?? null]; })()`)).toEqual(['unzipped', null]);
    expect(value(`fetchSync('${base}/redirect', {method: 'PUT', body: 'x'}).json()`)).toMatchObject({ method: 'GET', url: '/echo', body: '' });
  });

  it('invalid UTF-8 becomes one U+FFFD per byte (Go json.Marshal)', () => {
    expect(value(`fetchSync('${base}/bad-utf8').text()`)).toBe('a\ufffd\ufffdA');
  });

  it('big bodies come through', () => {
    expect(value(`fetchSync('${base}/big').text().length`)).toBe(3 * 1024 * 1024);
  });

  it('the worker is reused across runs', () => {
    for (let i = 0; i < 5; i++) expect(value(`fetchSync('${base}/text').status`)).toBe(200);
  });

  it('too many redirects, connection refused: a thrown string with the Go error', () => {
    expect(thrown(`fetchSync('${base}/loop')`)).toEqual(['string', `fetchSync: Get "${base}/loop": stopped after 10 redirects`]);
    expect(thrown(`fetchSync('http://127.0.0.1:${closedPort}/x', {method: 'delete'})`))
      .toEqual(['string', `fetchSync: Delete "http://127.0.0.1:${closedPort}/x": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`]);
  });
});

describe('fetchSync without network', () => {
  it('other hosts fail as unresolvable, without touching the network', () => {
    expect(thrown(`fetchSync('https://example.com/x')`)).toEqual(['string', 'fetchSync: Get "https://example.com/x": dial tcp: lookup example.com: no such host']);
    expect(thrown(`fetchSync('https://example.com/x', {method: 'post'})`)).toEqual(['string', 'fetchSync: Post "https://example.com/x": dial tcp: lookup example.com: no such host']);
  });

  it('argument and option errors', () => {
    // The wrapper always passes two arguments: only the raw native sees none.
    expect(value(`__fetchSync().__throw`)).toBe('fetchSync: no arguments provided');
    expect(thrown(`fetchSync()`)).toEqual(['string', 'fetchSync: url is not a string']);
    expect(thrown(`fetchSync(1)`)).toEqual(['string', 'fetchSync: url is not a string']);
    expect(thrown(`fetchSync('${base}', {headers: {a: 1}})`))
      .toEqual(['string', 'fetchSync: error unmarshalling options: json: cannot unmarshal number into Go struct field FetchOptions.headers of type string']);
    expect(thrown(`fetchSync('${base}', {body: {}})`))
      .toEqual(['string', 'fetchSync: error unmarshalling options: json: cannot unmarshal object into Go struct field FetchOptions.body of type string']);
    expect(thrown(`fetchSync('ftp://x/y')`)).toEqual(['string', 'fetchSync: Get "ftp://x/y": unsupported protocol scheme "ftp"']);
  });

  it('API server URLs are answered by cluster.handleHttp', () => {
    const requests: unknown[] = [];
    const cluster = {
      handleHttp: (request: unknown) => (requests.push(request), { status: 201, headers: { 'content-type': 'application/json' }, body: '{"a":1}' }),
    } as unknown as Cluster;
    const access = { apiServerUrls: ['https://kubernetes.default.svc'] };
    expect(value(`(() => { const r = fetchSync('https://kubernetes.default.svc/api/v1/namespaces?limit=1', {method: 'put', headers: {authorization: 'Bearer t'}, body: 'b'}); return [r.status, r.statusText, r.headers, r.json()]; })()`, { cluster, access }))
      .toEqual([201, '201 Created', { 'Content-Type': 'application/json' }, { a: 1 }]);
    expect(requests).toEqual([{ method: 'PUT', path: '/api/v1/namespaces?limit=1', headers: { Authorization: 'Bearer t' }, body: 'b' }]);
  });
});
