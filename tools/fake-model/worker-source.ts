// The fake model's HTTP server, as plain JavaScript source for `new Worker(source, { eval: true })`.
//
// It has to live in a worker thread (not on the main thread's event loop): the controller calls the
// model with a synchronous fetchSync that blocks the main thread with Atomics.wait, so a server on
// the main thread could never answer. A source string (rather than a .mjs next to the module) also
// survives esbuild bundling the CLI into dist/cli.mjs.
//
// The worker does no shaping of its own: startFakeModel() (index.ts) turns the script into typed,
// ready-to-send replies (workerData.replies) and the worker only fills in the per-request fields
// (id, created, model, tool-call ids), records each request and plays the replies in order.
//
// workerData: { port: number, replies: PreparedReply[], exhausted: PreparedReply, repeatLast: boolean }
// Messages in:  { type: 'requests', id } | { type: 'close' }
// Messages out: { type: 'listening', port } | { type: 'error', message }
//             | { type: 'requests', id, requests } | { type: 'closed' }
export const FAKE_MODEL_WORKER_SOURCE = String.raw`
'use strict';
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');

const { replies, exhausted, repeatLast } = workerData;
const recorded = [];
const hanging = new Set();
const timers = new Set();
let nextReply = 0;
let completions = 0;

function pickReply() {
  if (nextReply < replies.length) return replies[nextReply++];
  if (repeatLast && replies.length > 0) return replies[replies.length - 1];
  return exhausted;
}

function send(res, status, headers, body) {
  if (res.destroyed || res.writableEnded) return;
  const out = Object.assign({}, headers, { 'content-length': String(Buffer.byteLength(body)) });
  res.writeHead(status, out);
  res.end(body);
}

function completionFor(template, requestBody) {
  completions += 1;
  const n = completions;
  const model =
    requestBody && typeof requestBody === 'object' && typeof requestBody.model === 'string'
      ? requestBody.model
      : 'fake-model';
  const choices = template.choices.map(function (choice) {
    const message = Object.assign({}, choice.message);
    if (Array.isArray(message.tool_calls)) {
      message.tool_calls = message.tool_calls.map(function (call, i) {
        return Object.assign({}, call, { id: 'call_fake_' + n + '_' + i });
      });
    }
    return Object.assign({}, choice, { message: message });
  });
  return {
    id: 'chatcmpl-fake-' + n,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: model,
    choices: choices,
    usage: template.usage,
  };
}

function respond(res, reply, requestBody) {
  if (reply.kind === 'completion') {
    send(res, 200, { 'content-type': 'application/json' }, JSON.stringify(completionFor(reply.completion, requestBody)));
  } else {
    send(res, reply.status, reply.headers, reply.body);
  }
}

function headersOf(req) {
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

const server = http.createServer(function (req, res) {
  const chunks = [];
  req.on('data', function (chunk) { chunks.push(chunk); });
  req.on('end', function () {
    const raw = Buffer.concat(chunks).toString('utf8');
    let body = raw;
    try { body = JSON.parse(raw); } catch (_) { /* not JSON: recorded as the raw string */ }
    const method = req.method || 'GET';
    const path = req.url || '/';
    recorded.push({ method: method, path: path, headers: headersOf(req), body: body });

    const pathname = path.split('?')[0];
    if (method !== 'POST' || pathname !== '/v1/chat/completions') {
      const error = { error: { message: 'fake model: no route for ' + method + ' ' + pathname, type: 'invalid_request_error', param: null, code: 'not_found' } };
      send(res, 404, { 'content-type': 'application/json' }, JSON.stringify(error));
      return;
    }

    const reply = pickReply();
    if (reply.kind === 'hang') {
      hanging.add(res);
      res.on('close', function () { hanging.delete(res); });
      return;
    }
    if (reply.delayMs > 0) {
      const timer = setTimeout(function () { timers.delete(timer); respond(res, reply, body); }, reply.delayMs);
      timers.add(timer);
    } else {
      respond(res, reply, body);
    }
  });
});

server.on('error', function (error) {
  parentPort.postMessage({ type: 'error', message: String(error && error.message ? error.message : error) });
});

server.listen(workerData.port, '127.0.0.1', function () {
  parentPort.postMessage({ type: 'listening', port: server.address().port });
});

parentPort.on('message', function (message) {
  if (!message || typeof message !== 'object') return;
  if (message.type === 'requests') {
    parentPort.postMessage({ type: 'requests', id: message.id, requests: recorded });
  } else if (message.type === 'close') {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const res of hanging) res.destroy();
    hanging.clear();
    server.close(function () { parentPort.postMessage({ type: 'closed' }); });
    server.closeAllConnections();
  }
});
`;
