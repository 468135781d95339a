// Server-side naming and timestamps.
import { randomInt } from 'node:crypto';

// utilrand's alphabet: no vowels (no accidental words) and no look-alike characters.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
// names.SimpleNameGenerator keeps the generated name within 63 characters.
const MAX_BASE_LENGTH = 58;

export function generateName(base: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return base.slice(0, MAX_BASE_LENGTH) + suffix;
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
