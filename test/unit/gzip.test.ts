import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, crc32, decodeBundle, encodeBundle, gunzipStored, gzipStored, utf8Decode, utf8Encode } from '../../lib/util/gzip.ts';

const TEXTS = [
  '',
  'deny("x")',
  "if (request.object?.metadata?.labels?.env === 'prod') { deny('pods labelled env=prod are not allowed — ünïcödé, 日本語, emoji 🚫'); }",
  'x'.repeat(65535),
  'y'.repeat(65536),
  `${'abc\u00e9\u4e2d\ud83d\ude00'.repeat(40_000)}`,
];

describe('gzip with stored blocks, as JsPolicyBundle.spec.bundle holds it', () => {
  it.each(TEXTS.map((t) => [t.length, t]))('%i characters: zlib reads back the very bytes', (_n, text) => {
    const bytes = utf8Encode(text as string);
    expect(Buffer.from(bytes).equals(Buffer.from(text as string, 'utf8'))).toBe(true);
    const gz = gzipStored(bytes);
    expect(Buffer.from(gunzipSync(gz)).equals(Buffer.from(text as string, 'utf8'))).toBe(true);
    expect(Buffer.from(gunzipStored(gz) ?? []).equals(Buffer.from(bytes))).toBe(true);
    expect(utf8Decode(bytes)).toBe(text);
  });

  it('the bundle is base64 of that, as Go writes a []byte, and reads back', () => {
    const text = TEXTS[2] as string;
    const bundle = encodeBundle(text);
    expect(bundle).toBe(Buffer.from(gzipStored(utf8Encode(text))).toString('base64'));
    expect(gunzipSync(Buffer.from(bundle, 'base64')).toString('utf8')).toBe(text);
    expect(decodeBundle(bundle)).toBe(text);
  });

  it('crc32 and base64 agree with Node', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'hello world', TEXTS[5] as string]) {
      const bytes = Buffer.from(text, 'utf8');
      expect(base64Encode(bytes)).toBe(bytes.toString('base64'));
      expect(Buffer.from(base64Decode(bytes.toString('base64')) ?? []).equals(bytes)).toBe(true);
    }
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('anything else is not read: compressed streams, a wrong CRC, bad base64 or UTF-8', () => {
    expect(decodeBundle(gzipSync('deny("x")').toString('base64'))).toBeUndefined();
    const gz = gzipStored(utf8Encode('deny("x")'));
    gz[gz.length - 8] ^= 1;
    expect(gunzipStored(gz)).toBeUndefined();
    expect(decodeBundle('not base64!')).toBeUndefined();
    expect(decodeBundle(Buffer.from(gzipStored(new Uint8Array([0xff, 0xfe]))).toString('base64'))).toBeUndefined();
  });
});
