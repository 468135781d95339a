import type { ChatCompletion } from 'openai/resources/chat/completions';

/** An HTTP answer as fetchSync gives it, or the string it throws on a transport error. */
export type HttpReply = { status: number; headers: Record<string, string>; body: string | undefined } | { transportError: string };

export type ModelReply =
  | { kind: 'completion'; completion: ChatCompletion }
  /** Worth retrying later, after retryAfterSeconds when the server said so. */
  | { kind: 'transient'; reason: 'ModelRateLimited' | 'ModelUnavailable' | 'ModelUnreachable'; message: string; retryAfterSeconds?: number }
  /** Retrying the same request cannot help: the status says so until the intent changes. */
  | { kind: 'fatal'; reason: 'ModelAuthFailed' | 'ModelRequestRejected' | 'ModelBadResponse'; message: string };

const MAX_MESSAGE = 300;

/** Sorts a model API reply into what the controller does next. */
export function classifyReply(reply: HttpReply, nowMs: number): ModelReply {
  if ('transportError' in reply) {
    return { kind: 'transient', reason: 'ModelUnreachable', message: clip(reply.transportError) };
  }
  const { status } = reply;
  if (status === 429 || status === 408 || status >= 500) {
    return {
      kind: 'transient',
      reason: status === 429 ? 'ModelRateLimited' : 'ModelUnavailable',
      message: `model API answered ${status}: ${errorText(reply.body)}`,
      retryAfterSeconds: retryAfter(reply.headers, nowMs),
    };
  }
  if (status === 401 || status === 403) {
    return { kind: 'fatal', reason: 'ModelAuthFailed', message: `model API answered ${status}: ${errorText(reply.body)}; check the API key in the Secret` };
  }
  if (status < 200 || status >= 300) {
    return { kind: 'fatal', reason: 'ModelRequestRejected', message: `model API answered ${status}: ${errorText(reply.body)}` };
  }
  try {
    return { kind: 'completion', completion: JSON.parse(reply.body ?? '') as ChatCompletion };
  } catch {
    return { kind: 'fatal', reason: 'ModelBadResponse', message: `model API answered ${status} with a body that is not JSON: ${clip(reply.body ?? '(empty)')}` };
  }
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

// OpenAI-style {"error": {"message": …}}, else the raw body.
function errorText(body: string | undefined): string {
  try {
    const message = (JSON.parse(body ?? '') as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return clip(message);
  } catch {
    // not JSON: fall through to the raw text
  }
  return clip(body ?? '(empty body)');
}

/** Retry-After as seconds or an HTTP date (RFC 9110), or OpenAI's retry-after-ms. */
function retryAfter(headers: Record<string, string>, nowMs: number): number | undefined {
  const value = header(headers, 'retry-after');
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && Number.isFinite(Number(ms))) return Math.max(0, Number(ms) / 1000);
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - nowMs) / 1000);
}

// fetchSync canonicalises header names (Retry-After); servers and tests may not.
function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
