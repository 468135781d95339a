// The pure pieces that keep a model's answer safe to use: the key scrubber, the bounded JSON
// parser, token counts of any type, and the status bounds.
import { describe, expect, it } from 'vitest';
import { boundStatus, jsonBytes, STATUS_BOUNDS } from '../../lib/controller/status-bounds.ts';
import type { GPTPolicyStatus } from '../../lib/gptpolicy/types.ts';
import { parseJsonBounded } from '../../lib/model/bounded-json.ts';
import { keyScrubber, REDACTED } from '../../lib/model/scrub.ts';
import { readTokens } from '../../lib/model/usage.ts';

const KEY = 'sk-proj-Abc123/def+456_ghi-789';

describe('keyScrubber', () => {
  const scrub = keyScrubber(KEY);
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const unicodeEscaped = (text: string) => [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

  it.each([
    ['plain', `Authorization: Bearer ${KEY}`],
    ['JSON-escaped', JSON.stringify({ echo: `Bearer ${unicodeEscaped(KEY)}` })],
    ['JSON-escaped inside a JSON string (tool arguments)', JSON.stringify({ arguments: JSON.stringify({ summary: 'x' }).replace('x', unicodeEscaped(KEY)) })],
    ['URL-encoded', `https://proxy/?auth=${encodeURIComponent(`Bearer ${KEY}`)}`],
    ['base64, offset 0', b64(KEY)],
    ['base64, offset 1', b64(`a${KEY}`)],
    ['base64, offset 2', b64(`Bearer ${KEY} and more`)],
    ['base64, URL-safe', b64(`xy${KEY}`).replace(/\+/g, '-').replace(/\//g, '_')],
    ['base64 with escaped slashes', JSON.stringify(b64(`q${KEY}`)).replace(/\//g, '\\/')],
  ])('removes the key in %s form', (_form, text) => {
    const out = scrub(text);
    expect(out).toContain(REDACTED);
    expect(out).not.toContain(KEY);
    expect(out).not.toContain(encodeURIComponent(KEY));
    for (const offset of ['', 'a', 'xy']) expect(out.replace(/\\\//g, '/').replace(/-/g, '+').replace(/_/g, '/')).not.toContain(b64(offset + KEY).slice(4, 20));
  });

  it('leaves text without the key alone, and never corrupts an answer with a short test key', () => {
    expect(scrub('{"plan":{"summary":"kind: Pod"}}')).toBe('{"plan":{"summary":"kind: Pod"}}');
    expect(keyScrubber('k')('kind: Pod')).toBe('kind: Pod');
  });
});

describe('parseJsonBounded', () => {
  it('refuses deep nesting before JSON.parse, naming where', () => {
    const deep = `{"plan":{"summary":${'['.repeat(6000)}${']'.repeat(6000)}}}`;
    const read = parseJsonBounded(deep, { maxChars: 1e6, maxDepth: 8 });
    expect(read).toEqual({ ok: false, problem: 'nested more than 8 levels deep (at plan.summary[0][0][0][0][0][0])' });
  });

  it('refuses text over its size, and what is not JSON', () => {
    expect(parseJsonBounded('"x"'.padEnd(100), { maxChars: 10, maxDepth: 8 })).toMatchObject({ ok: false, problem: '100 characters, over the 10 allowed' });
    expect(parseJsonBounded('{"a": ', { maxChars: 10, maxDepth: 8 })).toMatchObject({ ok: false });
    expect(parseJsonBounded(42, { maxChars: 10, maxDepth: 8 })).toMatchObject({ ok: false, problem: 'expected JSON text, got the number 42' });
  });

  it('follows strings, escapes and keys', () => {
    expect(parseJsonBounded('{"a[{":["]}\\"{[", {"b": 1}]}', { maxChars: 100, maxDepth: 3 })).toEqual({ ok: true, value: { 'a[{': [']}"{[', { b: 1 }] } });
  });
});

describe('readTokens', () => {
  it.each([
    [{ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }, { prompt: 10, completion: 5, total: 15 }],
    [{ prompt_tokens: '01200', completion_tokens: ' 7 ', total_tokens: '1207' }, { prompt: 1200, completion: 7, total: 1207 }],
    [{ prompt_tokens: 3, completion_tokens: 4 }, { prompt: 3, completion: 4, total: 7 }],
    [{ prompt_tokens: -1, completion_tokens: 'many', total_tokens: null }, { prompt: 0, completion: 0, total: 0 }],
    ['usage', { prompt: 0, completion: 0, total: 0 }],
    [undefined, { prompt: 0, completion: 0, total: 0 }],
    [{ prompt_tokens: 1.9, completion_tokens: 1e30 }, { prompt: 1, completion: 1_000_000_000, total: 1_000_000_001 }],
  ])('reads %j as %j', (usage, tokens) => {
    expect(readTokens(usage)).toEqual(tokens);
  });
});

describe('boundStatus', () => {
  const huge = (n: number, c = 'x') => c.repeat(n);

  it('cuts strings to their documented lengths and drops nesting', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 50; i++) deep = { d: deep };
    const status = boundStatus({ plan: { summary: huge(5000), deep }, answer: huge(200_000), conditions: [{ type: 'Ready', status: 'False', reason: 'X', message: huge(40_000), lastTransitionTime: 't' }] } as GPTPolicyStatus);
    expect((status.plan?.summary as string).length).toBe(STATUS_BOUNDS.text);
    expect(status.answer?.length).toBe(STATUS_BOUNDS.answer);
    expect(status.conditions?.[0]?.message.length).toBe(STATUS_BOUNDS.text);
    expect(JSON.stringify(status.plan)).not.toContain('bottom');
  });

  it('keeps the whole status within its byte budget, summarizing older answers first', () => {
    // Control characters are 6 bytes each as JSON: a 64 Ki-character answer is 384 KiB.
    const answer = huge(60_000, '\u0001');
    const turns = [1, 2, 3, 4, 5].map((i) => ({ answer: `${i}${answer}`, feedback: huge(4000, '\u0002') }));
    const status = boundStatus({ answer, generation: { intentHash: 'h', calls: 5, transientFailures: 0, turns } });
    expect(jsonBytes(status)).toBeLessThanOrEqual(STATUS_BOUNDS.bytes);
    expect(status.generation?.turns?.[0]?.answer).toContain('omitted to keep the status small');
    expect(status.generation?.turns?.[4]?.answer.startsWith('5')).toBe(true);
  });
});
