// A scriptable fake of OpenAI's chat-completions endpoint, for tests and local demos.
//
// The server runs in a worker thread so it keeps answering while the main thread is blocked (the
// controller's fetchSync parks the main thread in Atomics.wait while a worker does the HTTP). Each
// POST /v1/chat/completions consumes the next scripted reply, in order; every request is recorded.
import { Worker } from 'node:worker_threads';
import type {
  ChatCompletion,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions';
import { FAKE_MODEL_WORKER_SOURCE } from './worker-source.ts';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type ScriptedReply =
  /** An assistant message with one function tool call; arguments: object → JSON.stringify'd, string sent as is. */
  | { toolCall: { name: string; arguments: unknown }; usage?: Usage; delayMs?: number }
  /** A plain assistant message (e.g. JSON in content, the no-tools fallback). */
  | { content: string; usage?: Usage; delayMs?: number }
  /**
   * A raw HTTP answer: 429 with Retry-After, 500, a 200 with a non-JSON body … body: object → JSON,
   * string raw; bodyBase64: exactly these bytes (invalid UTF-8, say), sent as application/json.
   */
  | { status: number; body?: unknown; bodyBase64?: string; headers?: Record<string, string>; delayMs?: number }
  /** Accept the request and never answer (until close()). */
  | { hang: true };

export interface RecordedRequest {
  method: string;
  /** Path as requested, query included. */
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Parsed JSON, or the raw string when the body is not JSON ("" when empty). */
  body: unknown;
}

export interface FakeModel {
  /** http://127.0.0.1:PORT/v1 — what an OpenAI client takes as baseURL. */
  baseUrl: string;
  port: number;
  /** Every request received so far, in order (a message round trip to the server's worker). */
  requests(): Promise<RecordedRequest[]>;
  /** Ends hanging requests, stops the server and terminates its worker. Idempotent. */
  close(): Promise<void>;
}

export interface FakeModelOptions {
  /** What requests past the end of the script get: default 'error' (500 "fake model script exhausted"). */
  whenExhausted?: 'repeat-last' | 'error';
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
}

export const DEFAULT_USAGE: Usage = { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 };

/** What the worker plays back: the completion minus the per-request fields, or a finished HTTP answer. */
type CompletionTemplate = Omit<ChatCompletion, 'id' | 'created' | 'model'>;
type PreparedReply =
  | { kind: 'completion'; completion: CompletionTemplate; delayMs: number }
  | { kind: 'http'; status: number; headers: Record<string, string>; body: string | Uint8Array; delayMs: number }
  | { kind: 'hang' };

function completionTemplate(message: ChatCompletionMessage, finishReason: 'tool_calls' | 'stop', usage: Usage | undefined): CompletionTemplate {
  return {
    object: 'chat.completion',
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
    usage: { ...(usage ?? DEFAULT_USAGE) },
  };
}

function errorBody(status: number, message: string): string {
  const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return JSON.stringify({ error: { message, type, param: null, code: null } });
}

function prepare(reply: ScriptedReply): PreparedReply {
  if ('hang' in reply) return { kind: 'hang' };
  if ('toolCall' in reply) {
    const args = reply.toolCall.arguments;
    const call: ChatCompletionMessageFunctionToolCall = {
      id: 'call_fake', // replaced per request by the worker
      type: 'function',
      function: { name: reply.toolCall.name, arguments: typeof args === 'string' ? args : (JSON.stringify(args) ?? 'null') },
    };
    const message: ChatCompletionMessage = { role: 'assistant', content: null, tool_calls: [call], refusal: null };
    return { kind: 'completion', completion: completionTemplate(message, 'tool_calls', reply.usage), delayMs: reply.delayMs ?? 0 };
  }
  if ('content' in reply) {
    const message: ChatCompletionMessage = { role: 'assistant', content: reply.content, refusal: null };
    return { kind: 'completion', completion: completionTemplate(message, 'stop', reply.usage), delayMs: reply.delayMs ?? 0 };
  }
  const headers: Record<string, string> = {};
  let body: string | Uint8Array;
  if (typeof reply.bodyBase64 === 'string') {
    headers['content-type'] = 'application/json';
    body = new Uint8Array(Buffer.from(reply.bodyBase64, 'base64'));
  } else if (typeof reply.body === 'string') {
    headers['content-type'] = 'text/plain; charset=utf-8';
    body = reply.body;
  } else if (reply.body === undefined) {
    headers['content-type'] = 'application/json';
    body = reply.status >= 400 ? errorBody(reply.status, `fake model: scripted HTTP ${reply.status}`) : '';
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(reply.body);
  }
  for (const [name, value] of Object.entries(reply.headers ?? {})) headers[name.toLowerCase()] = String(value);
  return { kind: 'http', status: reply.status, headers, body, delayMs: reply.delayMs ?? 0 };
}

const EXHAUSTED: PreparedReply = {
  kind: 'http',
  status: 500,
  headers: { 'content-type': 'application/json' },
  body: errorBody(500, 'fake model script exhausted'),
  delayMs: 0,
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkUsage(value: unknown, where: string): void {
  if (value === undefined) return;
  if (!isRecord(value) || !['prompt_tokens', 'completion_tokens', 'total_tokens'].every((k) => typeof value[k] === 'number')) {
    throw new Error(`${where}.usage must be {prompt_tokens, completion_tokens, total_tokens} numbers`);
  }
}

/** Checks untrusted JSON (a script file) and returns it as ScriptedReply[]; throws a readable error. */
export function parseScript(value: unknown): ScriptedReply[] {
  if (!Array.isArray(value)) throw new Error('a fake model script is a JSON array of scripted replies');
  value.forEach((reply: unknown, i) => {
    const where = `script[${i}]`;
    if (!isRecord(reply)) throw new Error(`${where} must be an object`);
    if (reply.delayMs !== undefined && (typeof reply.delayMs !== 'number' || !(reply.delayMs >= 0))) {
      throw new Error(`${where}.delayMs must be a non-negative number`);
    }
    if ('hang' in reply) {
      if (reply.hang !== true) throw new Error(`${where}.hang must be true`);
    } else if ('toolCall' in reply) {
      if (!isRecord(reply.toolCall) || typeof reply.toolCall.name !== 'string') throw new Error(`${where}.toolCall needs a string name`);
      checkUsage(reply.usage, where);
    } else if ('content' in reply) {
      if (typeof reply.content !== 'string') throw new Error(`${where}.content must be a string`);
      checkUsage(reply.usage, where);
    } else if ('status' in reply) {
      if (typeof reply.status !== 'number' || !Number.isInteger(reply.status) || reply.status < 100 || reply.status > 599) {
        throw new Error(`${where}.status must be an HTTP status code`);
      }
      if (reply.bodyBase64 !== undefined && typeof reply.bodyBase64 !== 'string') throw new Error(`${where}.bodyBase64 must be a base64 string`);
      if (reply.headers !== undefined && (!isRecord(reply.headers) || !Object.values(reply.headers).every((v) => typeof v === 'string'))) {
        throw new Error(`${where}.headers must map names to strings`);
      }
    } else {
      throw new Error(`${where} needs one of toolCall, content, status or hang`);
    }
  });
  return value as ScriptedReply[];
}

type WorkerMessage =
  | { type: 'listening'; port: number }
  | { type: 'error'; message: string }
  | { type: 'requests'; id: number; requests: RecordedRequest[] }
  | { type: 'closed' };

/** Starts the fake model on 127.0.0.1 in a worker thread; resolves once it listens. */
export function startFakeModel(script: ScriptedReply[], options: FakeModelOptions = {}): Promise<FakeModel> {
  const workerData = {
    port: options.port ?? 0,
    replies: script.map(prepare),
    exhausted: EXHAUSTED,
    repeatLast: options.whenExhausted === 'repeat-last',
  };
  const worker = new Worker(FAKE_MODEL_WORKER_SOURCE, { eval: true, workerData });

  const pending = new Map<number, { resolve: (r: RecordedRequest[]) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let exited: Error | undefined;
  let closing: Promise<void> | undefined;
  let onClosed: (() => void) | undefined;

  return new Promise<FakeModel>((resolveStart, rejectStart) => {
    let started = false;
    const fail = (error: Error): void => {
      exited ??= error;
      for (const { reject } of pending.values()) reject(error);
      pending.clear();
      if (!started) rejectStart(error);
    };
    worker.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', () => {
      fail(new Error('fake model worker has stopped'));
      onClosed?.();
    });
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'listening': {
          started = true;
          const port = message.port;
          resolveStart({
            baseUrl: `http://127.0.0.1:${port}/v1`,
            port,
            requests() {
              if (exited) return Promise.reject(exited);
              const id = nextId++;
              return new Promise<RecordedRequest[]>((resolve, reject) => {
                pending.set(id, { resolve, reject });
                worker.postMessage({ type: 'requests', id });
              });
            },
            close() {
              closing ??= new Promise<void>((resolve) => {
                if (exited) return resolve();
                onClosed = resolve;
                worker.postMessage({ type: 'close' });
                // Whether or not the server closes gracefully, the worker goes within a second.
                const timer = setTimeout(() => void worker.terminate(), 1000);
                timer.unref();
              });
              return closing;
            },
          });
          break;
        }
        case 'error':
          void worker.terminate();
          fail(new Error(`fake model could not listen: ${message.message}`));
          break;
        case 'requests': {
          const waiter = pending.get(message.id);
          pending.delete(message.id);
          waiter?.resolve(message.requests);
          break;
        }
        case 'closed':
          void worker.terminate();
          break;
      }
    });
  });
}

export { fakeModelCommand } from './command.ts';
export type { CommandIo } from './command.ts';
