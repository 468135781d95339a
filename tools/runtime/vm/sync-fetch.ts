// Synchronous HTTP for fetchSync: jsPolicy's Go callback blocks the VM until the response is read,
// so the run blocks here too. One persistent worker does the I/O while this thread sleeps in
// Atomics.wait; answers come back over a MessageChannel read with receiveMessageOnPort.
// A server answering must not live on this (blocked) thread.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { SYNC_FETCH_WORKER } from './sync-fetch-worker.ts';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  insecure: boolean;
}

export type HttpResult =
  | { status: number; statusMessage: string; headers: Array<[string, string]>; body: Uint8Array }
  | { transport: string; url: string }
  | { plain: string };

let channel: { port: MessagePort; signal: Int32Array } | undefined;
let lastId = 0;

function start(): { port: MessagePort; signal: Int32Array } {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(SYNC_FETCH_WORKER, { eval: true, workerData: { port: port2, signal }, transferList: [port2] });
  // Idle, neither the worker nor the port may keep the process alive; reused by every run.
  worker.unref();
  port1.unref();
  return { port: port1, signal };
}

/** Blocks until the worker has the answer (no timeout: Go's DefaultClient has none either). */
export function httpSync(request: HttpRequest): HttpResult {
  channel ??= start();
  const { port, signal } = channel;
  const id = ++lastId;
  Atomics.store(signal, 0, 0);
  port.postMessage({ id, request });
  for (;;) {
    Atomics.wait(signal, 0, 0);
    const received = receiveMessageOnPort(port) as { message: { id: number; result: HttpResult } } | undefined;
    if (received?.message.id === id) return received.message.result;
    // Otherwise: the answer to a request whose run was terminated while it waited; the next
    // message (ours) is already queued or is about to set the signal again.
    if (!received) Atomics.store(signal, 0, 0);
  }
}
