/** An HTTP answer as fetchSync gives it, or the string it throws on a transport error. */
export type HttpReply = { status: number; headers: Record<string, string>; body: string | undefined } | { transportError: string };

export type ModelReply =
  /** A JSON object, of any shape: read defensively by the answer pipeline (lib/model/read-completion.ts). */
  | { kind: 'completion'; completion: Record<string, unknown> }
  /** Worth retrying later, after retryAfterSeconds when the server said so. */
  | { kind: 'transient'; reason: 'ModelRateLimited' | 'ModelUnavailable' | 'ModelUnreachable'; message: string; retryAfterSeconds?: number }
  /** Retrying the same request cannot help: the status says so until the intent changes. */
  | { kind: 'fatal'; reason: 'ModelAuthFailed' | 'ModelRequestRejected' | 'ModelBadResponse'; message: string };

const MAX_MESSAGE = 300;

/**
 * What a completion body may be: far above any answer GPTPOLICY_MAX_TOKENS allows, far below what
 * would strain the controller. Its shape, nesting included, is the answer pipeline's to check.
 */
export const MAX_COMPLETION_CHARS = 4 * 1024 * 1024;

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
  const body = reply.body ?? '';
  if (body.length > MAX_COMPLETION_CHARS) {
    return { kind: 'fatal', reason: 'ModelBadResponse', message: `model API answered ${status} with a body of ${body.length} characters, over the ${MAX_COMPLETION_CHARS} a completion may be: ${clip(body)}` };
  }
  const value = parseJson(body);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = value === undefined ? 'a body that is not JSON' : `${Array.isArray(value) ? 'a JSON array' : `JSON ${typeof value}`}, not a chat completion object`;
    return { kind: 'fatal', reason: 'ModelBadResponse', message: `model API answered ${status} with ${what}: ${clip(body || '(empty)')}` };
  }
  return { kind: 'completion', completion: value as Record<string, unknown> };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

// OpenAI-style {"error": {"message": …}}, else the raw body.
function errorText(body: string | undefined): string {
  const value = body && body.length <= MAX_COMPLETION_CHARS ? parseJson(body) : undefined;
  const error = value !== null && typeof value === 'object' ? (value as { error?: unknown }).error : undefined;
  const message = error !== null && typeof error === 'object' ? (error as { message?: unknown }).message : undefined;
  return clip(typeof message === 'string' ? message : body || '(empty body)');
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
