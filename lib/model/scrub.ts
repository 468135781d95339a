// The API key must never come back out of the model endpoint: not into a status, a log, the CLI's
// output or the next prompt. An endpoint (or a proxy) may echo the request's Authorization header
// anywhere in what it returns, completions included, and in any encoding a JSON body can carry:
// plain, JSON-escaped (\u0073k-…, once in the body and once more inside a tool call's arguments),
// URL-encoded, base64 (at any alignment, standard or URL-safe). Everything the endpoint returns is
// scrubbed of all of them before anything else reads it.

export const REDACTED = '[redacted]';

/**
 * Keys shorter than this are scrubbed only from error messages, as they are: no issued key is that
 * short, and scrubbing a few letters out of every answer would corrupt it (tests and demos use
 * keys like "k" or "fake").
 */
export const MIN_SCRUBBED_KEY = 8;

/** A scrubber for one key: `text` with every form of the key replaced by [redacted] (see MIN_SCRUBBED_KEY). */
export function keyScrubber(key: string): (text: string) => string {
  if (key.length < MIN_SCRUBBED_KEY) return (text) => text;
  const forms = keyForms(key);
  return (text) => scrubViews(text, forms);
}

/** An error message scrubbed as keyScrubber does, and of a short key as it is. */
export function scrubMessage(text: string, key: string, scrub: (text: string) => string): string {
  const scrubbed = scrub(text);
  return key === '' ? scrubbed : scrubbed.split(key).join(REDACTED);
}

/** The key as it can appear in text: plain, URL-encoded, and the base64 runs any text containing it encodes to. */
export function keyForms(key: string): string[] {
  const forms = new Set<string>([key, encodeURIComponent(key), encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())]);
  const bytes = utf8Bytes(key);
  // Base64 of any text containing the key holds, for the key's offset modulo 3, the characters
  // that only the key's own bytes determine.
  for (let offset = 0; offset < 3; offset++) {
    const encoded = base64([...new Array<number>(offset).fill(0), ...bytes]);
    const first = Math.ceil((offset * 8) / 6);
    const last = Math.floor(((offset + bytes.length) * 8 - 6) / 6);
    const core = encoded.slice(first, last + 1);
    if (core.length >= MIN_SCRUBBED_KEY) {
      forms.add(core);
      forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms];
}

function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const char of encodeURIComponent(text).match(/%[0-9A-F]{2}|[^%]/g) ?? []) bytes.push(char.length === 3 ? parseInt(char.slice(1), 16) : char.charCodeAt(0));
  return bytes;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

// Standard base64 (jsPolicy's btoa has Go's semantics; this has none to worry about).
function base64(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=') + (i + 2 < bytes.length ? ALPHABET[n & 63]! : '=');
  }
  return out;
}

/**
 * Replaces every form in `text`, in `text` as it reads once JSON string escapes are decoded, and
 * once more decoded (a tool call's arguments are JSON inside a JSON string).
 */
function scrubViews(text: string, forms: readonly string[]): string {
  let out = replaceAll(text, forms);
  // Escapes can only hide a form as \uXXXX (any character) or \/ (base64's slash).
  if (!out.includes('\\u') && !out.includes('\\/')) return out;
  for (const levels of [1, 2]) {
    const view = decodedView(out, levels);
    const spans = findSpans(view.text, forms).map(([start, end]) => [view.from[start] as number, view.to[end - 1] as number] as const);
    out = redactSpans(out, spans);
  }
  return out;
}

function replaceAll(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  return out;
}

function findSpans(text: string, forms: readonly string[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const form of forms) {
    for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) spans.push([at, at + form.length]);
  }
  return spans;
}

// Each span [first, last] (inclusive, in `text`) becomes [redacted]; overlapping spans merge.
function redactSpans(text: string, spans: ReadonlyArray<readonly [number, number]>): string {
  if (spans.length === 0) return text;
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let out = '';
  let cursor = 0;
  for (const [first, last] of sorted) {
    if (last < cursor) continue;
    out += text.slice(cursor, Math.max(cursor, first)) + (first >= cursor ? REDACTED : '');
    cursor = last + 1;
  }
  return out + text.slice(cursor);
}

interface View {
  text: string;
  /** For each character of the view: the first and the last index of `source` it came from. */
  from: number[];
  to: number[];
}

/** `source` with JSON string escapes decoded `levels` times, each character mapped back to its source span. */
function decodedView(source: string, levels: number): View {
  let view: View = { text: source, from: [], to: [] };
  for (let i = 0; i < source.length; i++) {
    view.from.push(i);
    view.to.push(i);
  }
  for (let level = 0; level < levels; level++) view = decodeOnce(view);
  return view;
}

const SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function decodeOnce(input: View): View {
  const { text } = input;
  const out: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const emit = (char: string, start: number, end: number): void => {
    out.push(char);
    from.push(input.from[start] as number);
    to.push(input.to[end] as number);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1] as string;
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        emit(String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)), i, i + 5);
        i += 5;
        continue;
      }
      const simple = SIMPLE[next];
      if (simple !== undefined) {
        emit(simple, i, i + 1);
        i += 1;
        continue;
      }
    }
    emit(c, i, i);
  }
  return { text: out.join(''), from, to };
}
