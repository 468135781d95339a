#!/usr/bin/env node
// The model side of scripts/e2e-kind.sh: starts the fake model (`node dist/cli.mjs fake-model`, which
// binds 127.0.0.1 only) and an HTTP relay in front of it on BIND:PORT, where pods reach it. The
// relay forwards every request to the fake model, gives up on an answer after --timeout-ms (504:
// jsPolicy's fetchSync has no timeout of its own, so the endpoint must time out by itself), and
// counts what it forwarded: chat completions apart, and whether each carried the expected bearer key
// (E2E_MODEL_KEY; never written anywhere). It stops — writing model-summary.json with those counts
// and the fake model's own count of requests served — on SIGTERM/SIGINT, after --lifetime seconds,
// when the process --watch-pid names is gone, or when the fake model exits. So it never outlives
// the run that started it by more than a second, nor any run by more than its lifetime.
//
//   node scripts/e2e-model.mjs --cli dist/cli.mjs --script FILE --bind ADDR --port N --fake-port N \
//     --state-dir DIR [--lifetime SECONDS] [--watch-pid PID] [--timeout-ms N]
//
// Files in --state-dir: model.json (once both listen: pids, address, ports), fake-model.log,
// relay.log (one line per request), model-summary.json (once stopped).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';

const USAGE = 'usage: node scripts/e2e-model.mjs --cli FILE --script FILE --bind ADDR --port N --fake-port N --state-dir DIR [--lifetime S] [--watch-pid PID] [--timeout-ms N]';

function parseArgs(argv) {
  const options = { lifetime: 3600, timeoutMs: 20_000, watchPid: 0 };
  const names = { '--cli': 'cli', '--script': 'script', '--bind': 'bind', '--port': 'port', '--fake-port': 'fakePort', '--state-dir': 'stateDir', '--lifetime': 'lifetime', '--watch-pid': 'watchPid', '--timeout-ms': 'timeoutMs' };
  for (let i = 0; i < argv.length; i += 2) {
    const name = names[argv[i]];
    if (!name || argv[i + 1] === undefined) throw new Error(`unknown or incomplete argument ${JSON.stringify(argv[i])}`);
    options[name] = argv[i + 1];
  }
  for (const key of ['cli', 'script', 'bind', 'port', 'fakePort', 'stateDir']) {
    if (options[key] === undefined || options[key] === '') throw new Error(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is required`);
  }
  for (const key of ['port', 'fakePort', 'lifetime', 'timeoutMs', 'watchPid']) {
    const value = Number(options[key]);
    if (!Number.isInteger(value) || value < 0 || ((key === 'port' || key === 'fakePort') && value > 65535)) throw new Error(`--${key} needs a whole number, got ${JSON.stringify(options[key])}`);
    options[key] = value;
  }
  if (options.lifetime < 1) throw new Error('--lifetime must be at least 1 second');
  return options;
}

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`e2e-model: ${error.message}\n${USAGE}\n`);
  process.exit(2);
}

mkdirSync(options.stateDir, { recursive: true });
const file = (name) => join(options.stateDir, name);
const relayLog = createWriteStream(file('relay.log'), { flags: 'a' });
const say = (line) => {
  process.stdout.write(`${line}\n`);
  relayLog.write(`${new Date().toISOString()} ${line}\n`);
};
const expectedKey = process.env.E2E_MODEL_KEY ?? '';

const counts = { relayForwarded: 0, relayFailed: 0, chatCompletions: 0, chatCompletionsWithKey: 0 };
let fakeModelServed = null;
let stopping;

// The fake model, its output teed to fake-model.log.
const fakeLog = createWriteStream(file('fake-model.log'), { flags: 'a' });
const child = spawn(process.execPath, [options.cli, 'fake-model', '--script', options.script, '--port', String(options.fakePort)], { stdio: ['ignore', 'pipe', 'pipe'] });
let childOutput = '';
let childExited = false;
const childDone = new Promise((resolve) => {
  child.on('exit', (code, signal) => {
    childExited = true;
    resolve({ code, signal });
  });
});
const fakeListening = new Promise((resolve) => {
  const onData = (chunk) => {
    fakeLog.write(chunk);
    childOutput += chunk.toString('utf8');
    const listening = /fake model listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(childOutput);
    if (listening) resolve(Number(listening[1]));
    const stopped = /fake model stopped after (\d+) request/.exec(childOutput);
    if (stopped) fakeModelServed = Number(stopped[1]);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
});
childDone.then(({ code, signal }) => {
  if (!stopping) stop(`the fake model exited by itself (code ${code}, signal ${signal})`, 1);
});

const startTimer = setTimeout(() => stop('the fake model did not start listening within 30 s', 1), 30_000);

function isChat(req) {
  return req.method === 'POST' && (req.url ?? '').split('?')[0] === '/v1/chat/completions';
}

function relayRequest(fakePort, req, res) {
  const started = Date.now();
  const chat = isChat(req);
  const keyOk = expectedKey !== '' && req.headers.authorization === `Bearer ${expectedKey}`;
  let finished = false;
  const finish = (status, note) => {
    if (finished) return;
    finished = true;
    relayLog.write(`${new Date().toISOString()} ${req.method} ${req.url} -> ${status}${note ? ` (${note})` : ''} ${Date.now() - started}ms${chat ? ` key=${keyOk ? 'expected' : 'other'}` : ''}\n`);
  };
  const headers = { ...req.headers, host: `127.0.0.1:${fakePort}` };
  const upstream = http.request({ host: '127.0.0.1', port: fakePort, method: req.method, path: req.url, headers, timeout: options.timeoutMs }, (answer) => {
    counts.relayForwarded += 1;
    if (chat) {
      counts.chatCompletions += 1;
      if (keyOk) counts.chatCompletionsWithKey += 1;
    }
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
    answer.on('end', () => finish(answer.statusCode));
    answer.on('error', () => res.destroy());
  });
  upstream.on('timeout', () => upstream.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
  upstream.on('error', (error) => {
    counts.relayFailed += 1;
    const status = /no answer within/.test(error.message) ? 504 : 502;
    finish(status, error.message);
    if (res.headersSent) return res.destroy();
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `e2e relay: ${error.message}`, type: 'server_error', param: null, code: null } }));
  });
  req.pipe(upstream);
  req.on('error', () => upstream.destroy());
}

let server;

async function start() {
  const fakePort = await fakeListening;
  clearTimeout(startTimer);
  if (stopping) return;
  server = http.createServer((req, res) => relayRequest(fakePort, req, res));
  server.on('error', (error) => stop(`the relay cannot listen on ${options.bind}:${options.port}: ${error.message}`, 1));
  server.listen(options.port, options.bind, () => {
    const address = server.address();
    const info = { pid: process.pid, fakeModelPid: child.pid, bind: options.bind, port: address.port, fakeModelPort: fakePort, lifetimeSeconds: options.lifetime, timeoutMs: options.timeoutMs };
    writeFileSync(file('model.json'), `${JSON.stringify(info, null, 2)}\n`);
    say(`relay ${options.bind}:${address.port} -> 127.0.0.1:${fakePort} (stops after ${options.lifetime} s${options.watchPid ? ` or when process ${options.watchPid} ends` : ''})`);
  });
}

async function stop(reason, exitCode = 0) {
  if (stopping) return stopping;
  stopping = (async () => {
    clearTimeout(startTimer);
    clearTimeout(lifetimeTimer);
    clearInterval(watchTimer);
    say(`stopping: ${reason}`);
    if (server) {
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    }
    if (!childExited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await childDone;
      clearTimeout(killer);
    }
    const summary = { reason, ...counts, fakeModelServed };
    writeFileSync(file('model-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    say(
      `model summary: relay forwarded ${counts.relayForwarded} request(s), ${counts.chatCompletions} chat completion(s) ` +
        `(${counts.chatCompletionsWithKey} with the expected key), ${counts.relayFailed} failed; ` +
        `the fake model served ${fakeModelServed ?? 'an unknown number of'} request(s)`,
    );
    await new Promise((resolve) => relayLog.end(resolve));
    await new Promise((resolve) => fakeLog.end(resolve));
    process.exit(exitCode);
  })();
  return stopping;
}

const lifetimeTimer = setTimeout(() => stop(`lifetime of ${options.lifetime} s reached`), options.lifetime * 1000);
const watchTimer = options.watchPid
  ? setInterval(() => {
      try {
        process.kill(options.watchPid, 0);
      } catch (error) {
        if (error.code === 'ESRCH') stop(`process ${options.watchPid} (the run that started the model) has ended`);
      }
    }, 1000)
  : undefined;
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

start().catch((error) => stop(`cannot start: ${error.message}`, 1));
