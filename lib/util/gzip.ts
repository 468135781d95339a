// JsPolicyBundle.spec.bundle is base64(gzip(javascript)), and jsPolicy's V8 has no zlib, Buffer or
// TextEncoder: this writes (and reads back) that format in plain JavaScript. The deflate stream holds
// stored blocks only: nothing to get wrong in a compressor, and a generated policy is small (the
// bundle is at most a third larger than the code, base64 included).

const MAX_STORED = 0xffff;

/** UTF-8 bytes of a string (lone surrogates as U+FFFD, as TextEncoder writes them). */
export function utf8Encode(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    let code = char.codePointAt(0) as number;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return new Uint8Array(bytes);
}

/** The string of well-formed UTF-8 bytes, or undefined for anything else. */
export function utf8Decode(bytes: Uint8Array): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const extra = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (extra < 0 || i + extra >= bytes.length) return undefined;
    let code = extra === 0 ? b : b & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) {
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80) return undefined;
      code = (code << 6) | (c & 0x3f);
    }
    const min = [0, 0x80, 0x800, 0x10000][extra] as number;
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    out += String.fromCodePoint(code);
    i += extra + 1;
  }
  return out;
}

let crcTable: Uint32Array | undefined;

export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (crcTable[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const le32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** A gzip member (RFC 1952) whose deflate stream (RFC 1951) is stored blocks of at most 64 KiB − 1. */
export function gzipStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / MAX_STORED));
  const out = new Uint8Array(10 + blocks * 5 + data.length + 8);
  // ID1 ID2, CM deflate, no flags, no mtime, no extra flags, OS unknown.
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff], 0);
  let at = 10;
  for (let b = 0; b < blocks; b++) {
    const chunk = data.subarray(b * MAX_STORED, Math.min(data.length, (b + 1) * MAX_STORED));
    const len = chunk.length;
    out.set([b === blocks - 1 ? 1 : 0, len & 0xff, len >>> 8, ~len & 0xff, (~len >>> 8) & 0xff], at);
    out.set(chunk, at + 5);
    at += 5 + len;
  }
  out.set([...le32(crc32(data)), ...le32(data.length >>> 0)], at);
  return out;
}

/**
 * The data of a gzip member written by gzipStored (stored blocks, no optional header fields), or
 * undefined for any other stream, a wrong length or a wrong CRC: what cannot be read is never guessed.
 */
export function gunzipStored(gz: Uint8Array): Uint8Array | undefined {
  if (gz.length < 18 || gz[0] !== 0x1f || gz[1] !== 0x8b || gz[2] !== 8 || gz[3] !== 0) return undefined;
  const parts: Uint8Array[] = [];
  let at = 10;
  let size = 0;
  for (let last = false; !last; ) {
    if (at + 5 > gz.length) return undefined;
    const header = gz[at] as number;
    if ((header & 0x06) !== 0) return undefined;
    last = (header & 1) === 1;
    const len = (gz[at + 1] as number) | ((gz[at + 2] as number) << 8);
    const nlen = (gz[at + 3] as number) | ((gz[at + 4] as number) << 8);
    if ((len ^ 0xffff) !== nlen || at + 5 + len > gz.length) return undefined;
    parts.push(gz.subarray(at + 5, at + 5 + len));
    size += len;
    at += 5 + len;
  }
  if (at + 8 !== gz.length) return undefined;
  const data = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.length;
  }
  const trailer = gz.subarray(at);
  const read32 = (i: number) => ((trailer[i] as number) | ((trailer[i + 1] as number) << 8) | ((trailer[i + 2] as number) << 16) | ((trailer[i + 3] as number) << 24)) >>> 0;
  if (read32(0) !== crc32(data) || read32(4) !== size >>> 0) return undefined;
  return data;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding, as Go's encoding/json writes a []byte. */
export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = i + 1 < bytes.length ? (bytes[i + 1] as number) : 0;
    const c = i + 2 < bytes.length ? (bytes[i + 2] as number) : 0;
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63) + (i + 1 < bytes.length ? ALPHABET.charAt((n >> 6) & 63) : '=') + (i + 2 < bytes.length ? ALPHABET.charAt(n & 63) : '=');
  }
  return out;
}

/** Standard padded base64 → bytes, or undefined when it is not that. */
export function base64Decode(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  const sextet = (i: number): number => {
    const c = text.charCodeAt(i);
    return c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 71 : c >= 48 && c <= 57 ? c + 4 : c === 43 ? 62 : c === 47 ? 63 : 0;
  };
  for (let i = 0; i < text.length; i += 4) {
    const n = (sextet(i) << 18) | (sextet(i + 1) << 12) | (sextet(i + 2) << 6) | sextet(i + 3);
    if (o < out.length) out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}

/** JsPolicyBundle.spec.bundle for a script: base64(gzip(UTF-8 of it)). */
export function encodeBundle(javascript: string): string {
  return base64Encode(gzipStored(utf8Encode(javascript)));
}

/** The script of a bundle encodeBundle wrote, or undefined for any other bundle. */
export function decodeBundle(bundle: string): string | undefined {
  const gz = base64Decode(bundle);
  const data = gz && gunzipStored(gz);
  return data && utf8Decode(data);
}
