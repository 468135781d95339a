// jsPolicy's atob/btoa (pkg/vm/vm.go): Go's base64.StdEncoding over the UTF-8 bytes of a string, not the
// browser's Latin-1 functions. atob answers undefined on bad input; both answer undefined for non-strings.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // lone surrogate: Go sees U+FFFD
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return bytes;
}

/** UTF-8 decoding with U+FFFD for each invalid sequence (close to Go's string conversion). */
function utf8Text(bytes: number[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) {
      out += b < 0x80 ? String.fromCharCode(b) : '\ufffd';
      i++;
      continue;
    }
    let cp = need === 0 ? b : b & (0x3f >> need);
    let ok = i + need < bytes.length;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 63);
    }
    if (ok && ((need === 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff)))) ok = false;
    if (!ok) {
      out += '\ufffd';
      i++;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

export function goBtoa(...args: unknown[]): string | undefined {
  const text = args[0];
  if (args.length !== 1 || typeof text !== 'string') return undefined;
  const bytes = utf8Bytes(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : '=';
  }
  return out;
}

export function goAtob(...args: unknown[]): string | undefined {
  const input = args[0];
  if (args.length !== 1 || typeof input !== 'string') return undefined;
  const text = input.replace(/[\r\n]/g, '');
  if (text.length % 4 !== 0) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 4) {
    const quad = text.slice(i, i + 4);
    const pad = quad.endsWith('==') ? 2 : quad.endsWith('=') ? 1 : 0;
    if (pad > 0 && i + 4 !== text.length) return undefined;
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const ch = quad[k]!;
      const v = k >= 4 - pad ? 0 : ALPHABET.indexOf(ch);
      if (v < 0 || ch === '=' && k < 4 - pad) return undefined;
      n = (n << 6) | v;
    }
    bytes.push((n >> 16) & 255);
    if (pad < 2) bytes.push((n >> 8) & 255);
    if (pad < 1) bytes.push(n & 255);
  }
  return utf8Text(bytes);
}
