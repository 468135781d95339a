// jsPolicy's VM pool (pkg/vm/vmpool: VM_POOL_SIZE, default 4), modelled with V8 9.6 engine processes.
// A run takes an idle engine, or starts one while fewer than the pool's size exist. A run nested in
// another (a controller's create() runs the cluster's admission policies) takes another engine, as
// a webhook call in jsPolicy takes another VM. A run that never returns is ended by killing its
// process (jsPolicy would have lost that VM for good); a process that dies takes its runs with it.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { PROCESSES_WORKER } from './processes-worker.ts';
import type { EvalReply, EvalRequest, FromEngine, RunReply, RunRequest, ToEngine } from './protocol.ts';

export interface EngineServer {
  native(name: string, args: Extract<FromEngine, { op: 'native' }>['args'], origin: string): string | undefined;
  now(): number;
}

/** How an engine process ended a run it did not finish. */
export interface EngineLost {
  lost: 'hang' | 'crash';
  /** What the process said on stderr (V8's fatal error, Node's abort), for a crash. */
  detail: string;
}

type WorkerMessage =
  | { op: 'spawned'; id: number }
  | { op: 'frame'; id: number; frame: string }
  | { op: 'exit'; id: number; watchdog: boolean; code: number | null; signal: string | null; stderr: string };

interface Link {
  port: MessagePort;
  signal: Int32Array;
}

interface Engine {
  id: number;
  v8: string;
  busy: boolean;
  dead?: EngineLost;
}

let link: Link | undefined;
let lastId = 0;
/** Every live process this host started (engines and services), by id. */
const processes = new Map<number, Engine>();

function start(): Link {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(PROCESSES_WORKER, { eval: true, workerData: { port: port2, signal }, transferList: [port2] });
  // Idle, neither the worker nor the port may keep the process alive.
  worker.unref();
  port1.unref();
  return { port: port1, signal };
}

function next(): WorkerMessage {
  const { port, signal } = link!;
  for (;;) {
    const received = receiveMessageOnPort(port) as { message: WorkerMessage } | undefined;
    if (received) return received.message;
    Atomics.wait(signal, 0, 0);
    Atomics.store(signal, 0, 0);
  }
}

/** Waits for a message of engine `id`; messages of engines that died meanwhile mark them dead. */
function receiveFrom(engine: Engine): FromEngine | EngineLost {
  for (;;) {
    const message = next();
    const target = processes.get(message.id);
    if (message.op === 'exit') {
      const lost: EngineLost = message.watchdog
        ? { lost: 'hang', detail: 'the run did not return: V8 never reached a point where termination could stop it' }
        : { lost: 'crash', detail: crashDetail(message) };
      if (target) {
        target.dead = lost;
        processes.delete(message.id);
      }
      if (message.id === engine.id) return lost;
      continue;
    }
    if (message.op === 'frame' && message.id === engine.id) return JSON.parse(message.frame) as FromEngine;
  }
}

function crashDetail(message: Extract<WorkerMessage, { op: 'exit' }>): string {
  const lines = message.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const fatal = lines.find((l) => /FATAL|Fatal|fatal error|out of memory|invalid size/i.test(l)) ?? lines.at(-1) ?? '';
  const how = message.signal ? `killed by ${message.signal}` : `exited with code ${message.code}`;
  return fatal ? `${how}: ${fatal}` : how;
}

function send(engine: Engine, frame: ToEngine, budgetMs?: number): void {
  link!.port.postMessage({ op: 'send', id: engine.id, frame: JSON.stringify(frame), budgetMs });
}

export interface EngineBinary {
  command: string;
  args: string[];
}

function spawnProcess(binary: EngineBinary): Engine {
  link ??= start();
  const engine: Engine = { id: ++lastId, v8: '', busy: false };
  link.port.postMessage({ op: 'spawn', id: engine.id, command: binary.command, args: binary.args, env: { PATH: process.env.PATH ?? '' } });
  const reply = next();
  if (reply.op !== 'spawned' || reply.id !== engine.id) {
    const detail = reply.op === 'exit' ? reply.stderr : `unexpected ${reply.op}`;
    throw new Error(`gptpolicy: could not start the V8 9.6 engine (${binary.command}): ${detail}`);
  }
  processes.set(engine.id, engine);
  const ready = receiveFrom(engine);
  if ('lost' in ready || ready.op !== 'ready') {
    throw new Error(`gptpolicy: the V8 9.6 engine (${binary.command}) did not start: ${'lost' in ready ? ready.detail : ready.op}`);
  }
  engine.v8 = ready.v8;
  return engine;
}

/**
 * A long-lived helper process that speaks the same frames (jsPolicy's webpack step): `call` sends
 * one frame and blocks until the answer, or until the process dies or holds the turn past budgetMs.
 */
export class ServiceProcess {
  private process: Engine | undefined;

  constructor(private readonly binary: EngineBinary) {}

  call(frame: unknown, budgetMs: number): unknown | EngineLost {
    if (!this.process || this.process.dead) this.process = spawnProcess(this.binary);
    const target = this.process;
    link!.port.postMessage({ op: 'send', id: target.id, frame: JSON.stringify(frame), budgetMs });
    const answer = receiveFrom(target);
    return 'lost' in answer ? answer : (answer as unknown as { op: 'done'; value: unknown }).value;
  }
}

export class EnginePool {
  private readonly engines: Engine[] = [];

  constructor(
    private readonly binary: EngineBinary,
    readonly size: number,
  ) {}

  private acquire(): Engine | undefined {
    for (const dead of this.engines.filter((e) => e.dead)) this.engines.splice(this.engines.indexOf(dead), 1);
    const idle = this.engines.find((e) => !e.busy);
    if (idle) return idle;
    if (this.engines.length >= this.size) return undefined;
    const engine = spawnProcess(this.binary);
    this.engines.push(engine);
    return engine;
  }

  /** Serves the engine's native calls until it answers the frame; undefined engine = pool exhausted. */
  private converse<T>(frame: ToEngine, budgetMs: number, server: EngineServer, engine: Engine): T | EngineLost {
    send(engine, frame, budgetMs);
    for (;;) {
      const message = receiveFrom(engine);
      if ('lost' in message) return message;
      if (message.op === 'done') return message.value as T;
      if (message.op === 'ready') continue;
      const value = message.op === 'now' ? server.now() : server.native(message.name, message.args, message.origin);
      send(engine, { op: 'answer', id: message.id, value });
    }
  }

  run(request: RunRequest, budgetMs: number, server: EngineServer): RunReply | EngineLost | 'exhausted' {
    const engine = this.acquire();
    if (!engine) return 'exhausted';
    engine.busy = true;
    try {
      return this.converse<RunReply>({ op: 'run', request }, budgetMs, server, engine);
    } finally {
      engine.busy = false;
    }
  }

  /** A context kept open on one engine for several evaluations (held until close). */
  open(request: RunRequest, server: EngineServer): EngineSession | 'exhausted' {
    const engine = this.acquire();
    if (!engine) return 'exhausted';
    engine.busy = true;
    const session = ++lastId;
    const opened = this.converse<null>({ op: 'open', session, request }, 30_000, server, engine);
    if (opened !== null) throw new Error(`gptpolicy: the engine was lost opening a context: ${(opened as EngineLost).detail}`);
    return {
      v8: engine.v8,
      evaluate: (code, timeoutMs, filename = 'eval') => {
        const eval_: EvalRequest = { session, code, filename, timeoutMs };
        return this.converse<EvalReply>({ op: 'eval', request: eval_ }, timeoutMs + 5_000, server, engine);
      },
      close: () => {
        if (!engine.dead) this.converse<null>({ op: 'close', session }, 5_000, server, engine);
        engine.busy = false;
      },
    };
  }
}

export interface EngineSession {
  /** process.versions.v8 of the engine holding the context. */
  v8: string;
  evaluate(code: string, timeoutMs: number, filename?: string): EvalReply | EngineLost;
  close(): void;
}
