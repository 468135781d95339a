// A message a model-written policy produced for a real object (an impact preview's deny message, a
// violation jsPolicy logged) is shown to everyone who can read the GPTPolicy's status, before any
// person has approved the policy. The policy may have copied the object's data into it: every run of
// REDACT_MIN characters that also appears in one of the object's string values is cut out.
// It stops a copy, not an encoding (base64, reversed, one character per message): see README, "Safety".

export const REDACT_MIN = 6;
export const REDACTED = '[redacted]';

/** Values the example already names beside the message: redacting them would only hide the object's name. */
const SHOWN = new Set(['apiVersion', 'kind', 'metadata.name', 'metadata.namespace']);

/**
 * `message` with every stretch of at least REDACT_MIN characters that occurs in a string value of
 * `object` (anywhere in it, object keys aside) replaced by REDACTED. Overlapping and adjacent stretches
 * merge into one. Never throws; an object that is not an object redacts nothing.
 */
export function redactMessage(message: string, object: unknown): string {
  if (message.length < REDACT_MIN) return message;
  const haystack = stringValues(object).join('\u0000');
  if (haystack.length < REDACT_MIN) return message;
  const hidden = new Array<boolean>(message.length).fill(false);
  for (let i = 0; i + REDACT_MIN <= message.length; i++) {
    const window = message.slice(i, i + REDACT_MIN);
    if (!window.includes('\u0000') && haystack.includes(window)) hidden.fill(true, i, i + REDACT_MIN);
  }
  let out = '';
  for (let i = 0; i < message.length; i++) {
    if (!hidden[i]) out += message[i];
    else if (i === 0 || !hidden[i - 1]) out += REDACTED;
  }
  return out;
}

// Iterative, so an object nested deeper than the stack allows cannot end the run. Numbers count as
// their text: a policy can print those too.
function stringValues(object: unknown): string[] {
  const out: string[] = [];
  const stack: Array<{ value: unknown; path: string }> = [{ value: object, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
    if (text !== undefined) {
      if (text.length >= REDACT_MIN && !SHOWN.has(path)) out.push(text);
    } else if (value !== null && typeof value === 'object') {
      const array = Array.isArray(value);
      for (const key of Object.keys(value)) stack.push({ value: (value as Record<string, unknown>)[key], path: array ? path : path === '' ? key : `${path}.${key}` });
    }
  }
  return out;
}
