// Source of the worker thread that owns the engine processes. The host thread blocks (a policy run
// is synchronous, like jsPolicy's Go callbacks), so the pipes, the processes' exits and the watchdog
// live on this thread's event loop. Plain JavaScript run with `eval: true`, so it loads the same way
// from TypeScript sources (tests) and from bundles.
//
// host → worker: {op:'spawn', id, command, args, env} | {op:'send', id, frame, budgetMs?} | {op:'kill', id}
// worker → host: {op:'spawned', id} | {op:'frame', id, frame} | {op:'exit', id, watchdog, code, signal, stderr}
// Every message to the host is followed by signal[0] = 1 and a notify.
//
// The watchdog counts only the time the process holds the turn (from a frame sent to it until it
// answers): time the host spends serving a native is not the engine's. When the budget of a run is
// spent, the process is killed: in jsPolicy such a run never returns and its VM is lost to the pool.
export const PROCESSES_WORKER = String.raw`
const { workerData } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const { port, signal } = workerData;
const children = new Map();

function tell(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function disarm(entry) {
  if (entry.timer) {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.budgetMs -= Date.now() - entry.since;
  }
}

port.on('message', (message) => {
  if (message.op === 'spawn') {
    let child;
    try {
      child = spawn(message.command, message.args, { env: message.env, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    } catch (err) {
      tell({ op: 'exit', id: message.id, watchdog: false, code: null, signal: null, stderr: String(err && err.message || err) });
      return;
    }
    const entry = { child, stderr: '', pending: Buffer.alloc(0), budgetMs: Infinity, timer: undefined, since: 0, watchdog: false };
    children.set(message.id, entry);
    child.on('error', (err) => { entry.stderr += String(err && err.message || err); });
    child.stdio[2].on('data', (chunk) => { entry.stderr = (entry.stderr + chunk.toString('utf8')).slice(-8192); });
    child.stdio[4].on('data', (chunk) => {
      entry.pending = Buffer.concat([entry.pending, chunk]);
      while (entry.pending.length >= 4) {
        const length = entry.pending.readUInt32LE(0);
        if (entry.pending.length < 4 + length) break;
        const frame = entry.pending.subarray(4, 4 + length).toString('utf8');
        entry.pending = entry.pending.subarray(4 + length);
        disarm(entry);
        tell({ op: 'frame', id: message.id, frame });
      }
    });
    child.stdio[3].on('error', () => {});
    child.on('close', (code, sig) => {
      disarm(entry);
      children.delete(message.id);
      tell({ op: 'exit', id: message.id, watchdog: entry.watchdog, code, signal: sig, stderr: entry.stderr });
    });
    tell({ op: 'spawned', id: message.id });
    return;
  }
  const entry = children.get(message.id);
  if (!entry) return;
  if (message.op === 'kill') {
    entry.child.kill('SIGKILL');
    return;
  }
  if (message.op === 'send') {
    if (message.budgetMs !== undefined) entry.budgetMs = message.budgetMs;
    const body = Buffer.from(message.frame, 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt32LE(body.length, 0);
    entry.child.stdio[3].write(Buffer.concat([header, body]));
    if (entry.budgetMs !== Infinity) {
      entry.since = Date.now();
      entry.timer = setTimeout(() => {
        entry.watchdog = true;
        entry.child.kill('SIGKILL');
      }, Math.max(0, entry.budgetMs));
    }
  }
});
`;
