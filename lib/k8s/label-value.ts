// A label value that stands for a name. Object names run to 253 characters, label values to 63
// matching (([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])? — an API server rejects the whole object for
// one longer value. So a name that fits is kept as it is (`kubectl get -l owner=NAME` works), and
// one that does not becomes a prefix of it and a hash of all of it: still one value per name, but
// no longer the name, so whoever reads it back as a name must read the full name elsewhere.
import { sha256Hex } from '../util/sha256.ts';

const MAX_LABEL_VALUE = 63;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const HASH_LENGTH = 10;

export function isLabelValue(text: string): boolean {
  return text.length <= MAX_LABEL_VALUE && LABEL_VALUE.test(text);
}

/** `name` when it is a valid label value, else "<prefix>-<hash of name>" (63 characters at most). */
export function labelValueFor(name: string): string {
  if (isLabelValue(name)) return name;
  const room = MAX_LABEL_VALUE - HASH_LENGTH - 1;
  const prefix = name.slice(0, room).replace(/[^-A-Za-z0-9_.]/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  const hash = sha256Hex(name).slice(0, HASH_LENGTH);
  return prefix === '' ? hash : `${prefix}-${hash}`;
}
