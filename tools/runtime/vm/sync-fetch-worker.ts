// Source of the worker thread behind fetchSync. It is plain JavaScript run with `eval: true`, so it
// loads the same way from TypeScript sources (tests) and from bundles. It speaks HTTP like Go's
// http.DefaultClient: User-Agent Go-http-client/1.1, transparent gzip, ≤10 redirects, no timeout.
//
// Protocol: the caller posts {id, request} on `port` and blocks in Atomics.wait on signal[0]; the
// worker posts {id, result} on the same port, then sets signal[0] = 1 and notifies.
// result = {status, statusMessage, headers: [name, value][], body: Uint8Array}
//        | {transport: <Go net error text>, url} | {plain: <error text>}
export const SYNC_FETCH_WORKER = String.raw`
const { workerData } = require('node:worker_threads');
const http = require('node:http');
const https = require('node:https');
const zlib = require('node:zlib');
const { port, signal } = workerData;

port.on('message', async ({ id, request }) => {
  let result;
  try {
    result = await follow(request);
  } catch (err) {
    result = { plain: String(err && err.message || err) };
  }
  port.postMessage({ id, result });
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});

const SENSITIVE = ['authorization', 'www-authenticate', 'cookie', 'cookie2'];

// Go's redirect rules: 301/302/303 continue as GET without body (HEAD stays HEAD), 307/308 repeat
// method and body; credentials are not sent to another host; the 11th redirect is an error.
async function follow(request) {
  let current = request;
  for (let redirects = 0; ; redirects++) {
    const response = await send(current);
    if (response.transport || response.plain) return response;
    const location = response.location;
    delete response.location;
    const status = response.status;
    if (![301, 302, 303, 307, 308].includes(status) || !location) return response;
    const next = new URL(location, current.url).href;
    if (redirects === 10) return { transport: 'stopped after 10 redirects', url: next };
    const keepBody = status === 307 || status === 308;
    const headers = { ...current.headers };
    if (new URL(next).host !== new URL(current.url).host) {
      for (const name of Object.keys(headers)) if (SENSITIVE.includes(name.toLowerCase())) delete headers[name];
    }
    const method = keepBody || current.method === 'GET' || current.method === 'HEAD' ? current.method : 'GET';
    current = { ...current, url: next, method, headers, body: keepBody ? current.body : undefined };
  }
}

function send(request) {
  return new Promise((resolve) => {
    const url = new URL(request.url);
    const headers = { ...request.headers };
    const has = (name) => Object.keys(headers).some((key) => key.toLowerCase() === name);
    if (!has('user-agent')) headers['User-Agent'] = 'Go-http-client/1.1';
    const gzip = !has('accept-encoding') && request.method !== 'HEAD';
    if (gzip) headers['Accept-Encoding'] = 'gzip';
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, { method: request.method, headers, rejectUnauthorized: !request.insecure }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', () => resolve({ plain: 'read body: unexpected EOF' }));
      res.on('end', () => {
        let body = Buffer.concat(chunks);
        const seen = new Set();
        let pairs = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i].toLowerCase();
          if (seen.has(name) || name === 'transfer-encoding' || name === 'trailer') continue;
          seen.add(name);
          pairs.push([name, res.rawHeaders[i + 1]]);
        }
        if (gzip && (res.headers['content-encoding'] || '').toLowerCase() === 'gzip') {
          try {
            body = zlib.gunzipSync(body);
          } catch (err) {
            resolve({ plain: 'read body: gzip: invalid header' });
            return;
          }
          pairs = pairs.filter(([name]) => name !== 'content-encoding' && name !== 'content-length');
        }
        resolve({
          status: res.statusCode,
          statusMessage: res.statusMessage || '',
          headers: pairs,
          body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
          location: res.headers.location,
        });
      });
    });
    req.on('error', (err) => resolve({ transport: goNetError(err, url), url: request.url }));
    req.end(request.body || undefined);
  });
}

// The net/http error text Go would report for Node's error.
function goNetError(err, url) {
  const address = err.address && err.address.includes(':') ? '[' + err.address + ']' : err.address;
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'dial tcp ' + address + ':' + err.port + ': connect: connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dial tcp: lookup ' + url.hostname + ': no such host';
    case 'ECONNRESET':
      return 'EOF';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'x509: certificate signed by unknown authority';
    case 'CERT_HAS_EXPIRED':
      return 'x509: certificate has expired or is not yet valid';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'x509: certificate is not valid for ' + url.hostname;
    default:
      return err.message;
  }
}
`;
