// Go's json.Marshal replaces every byte of an invalid UTF-8 sequence with its own U+FFFD
// (utf8.DecodeRune reports size 1), where WHATWG decoders (Buffer, TextDecoder) replace a
// maximal subpart once. fetchSync bodies and headers reach JavaScript through json.Marshal.
import { isUtf8 } from 'node:buffer';

export function goUtf8(bytes: Uint8Array): string {
  if (isUtf8(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const size = validSequenceLength(bytes, i);
    out += size ? Buffer.from(bytes.subarray(i, i + size)).toString('utf8') : '\uFFFD';
    i += size || 1;
  }
  return out;
}

// Length of the valid UTF-8 sequence starting at i, or 0 (Go's "accept ranges" for second bytes).
function validSequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const size = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (size === 0 || i + size > b.length) return 0;
  const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
  const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
  if (b[i + 1]! < lo || b[i + 1]! > hi) return 0;
  for (let k = 2; k < size; k++) if (b[i + k]! < 0x80 || b[i + k]! > 0xbf) return 0;
  return size;
}
