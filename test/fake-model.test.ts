import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeModelCommand, parseScript, startFakeModel } from '../tools/fake-model/index.ts';
import type { FakeModel, ScriptedReply } from '../tools/fake-model/index.ts';

interface SyncResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  error?: string;
}

// Runs fetch in a child process and waits for it synchronously: the main thread is blocked the way
// fetchSync blocks it, so the fake model can only answer from its own thread.
const CHILD = `
const [url, init, timeoutMs] = JSON.parse(process.argv[1]);
fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
  .then(async (r) => ({ status: r.status, headers: Object.fromEntries(r.headers), body: await r.text() }))
  .catch((e) => ({ error: String(e && e.name) + ': ' + String(e && e.message) }))
  .then((out) => process.stdout.write(JSON.stringify(out)));
`;
function syncFetch(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}, timeoutMs = 5000): SyncResponse {
  const out = execFileSync(process.execPath, ['-e', CHILD, JSON.stringify([url, init, timeoutMs])], {
    encoding: 'utf8',
    timeout: timeoutMs + 5000,
  });
  return JSON.parse(out) as SyncResponse;
}

function chat(model: FakeModel, body: unknown = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, timeoutMs?: number): SyncResponse {
  return syncFetch(
    `${model.baseUrl}/chat/completions`,
    { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer sk-test' }, body: JSON.stringify(body) },
    timeoutMs,
  );
}

const started: FakeModel[] = [];
async function start(script: ScriptedReply[], options?: Parameters<typeof startFakeModel>[1]): Promise<FakeModel> {
  const model = await startFakeModel(script, options);
  started.push(model);
  return model;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((m) => m.close()));
});

describe('fake model', () => {
  it('answers a tool call in OpenAI shape while the main thread is blocked, and records the request', { timeout: 15_000 }, async () => {
    const model = await start([{ toolCall: { name: 'emit_policy', arguments: { name: 'deny-latest', rules: [1, 2] } } }]);
    expect(model.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);

    const request = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'deny :latest images' }],
      tools: [{ type: 'function', function: { name: 'emit_policy', parameters: { type: 'object' } } }],
    };
    const res = chat(model, request);
    expect(res.status).toBe(200);
    expect(res.headers?.['content-type']).toBe('application/json');
    const completion = JSON.parse(res.body!);
    expect(completion).toEqual({
      id: 'chatcmpl-fake-1',
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_fake_1_0',
                type: 'function',
                function: { name: 'emit_policy', arguments: '{"name":"deny-latest","rules":[1,2]}' },
              },
            ],
            refusal: null,
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
    });
    expect(Math.abs(completion.created - Date.now() / 1000)).toBeLessThan(60);

    const recorded = await model.requests();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: request });
    expect(recorded[0].headers['authorization']).toBe('Bearer sk-test');
    expect(recorded[0].headers['content-type']).toBe('application/json');
    expect(Object.keys(recorded[0].headers).every((k) => k === k.toLowerCase())).toBe(true);
  });

  it('plays content replies, string arguments and custom usage', { timeout: 15_000 }, async () => {
    const usage = { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 };
    const model = await start([{ content: '{"kind":"policy"}', usage }, { toolCall: { name: 'f', arguments: '{not json' } }]);

    const first = JSON.parse(chat(model).body!);
    expect(first.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: '{"kind":"policy"}', refusal: null },
      finish_reason: 'stop',
      logprobs: null,
    });
    expect(first.usage).toEqual(usage);

    const second = JSON.parse(chat(model, { model: 'other', messages: [] }).body!);
    expect(second.model).toBe('other');
    expect(second.id).toBe('chatcmpl-fake-2');
    expect(second.choices[0].message.tool_calls[0].function).toEqual({ name: 'f', arguments: '{not json' });
  });

  it('serves HTTP errors, non-JSON bodies, 404s and the exhaustion error', { timeout: 20_000 }, async () => {
    const model = await start([
      { status: 429, headers: { 'Retry-After': '2' }, body: { error: { message: 'slow down', type: 'rate_limit_exceeded' } } },
      { status: 500 },
      { status: 200, body: '<html>gateway</html>' },
    ]);

    const notFound = syncFetch(`${model.baseUrl}/models`);
    expect(notFound.status).toBe(404);
    expect(JSON.parse(notFound.body!).error.message).toContain('GET /v1/models');

    const limited = chat(model);
    expect(limited.status).toBe(429);
    expect(limited.headers?.['retry-after']).toBe('2');
    expect(JSON.parse(limited.body!)).toEqual({ error: { message: 'slow down', type: 'rate_limit_exceeded' } });

    const failed = chat(model);
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body!).error.type).toBe('server_error');

    const html = chat(model);
    expect(html.status).toBe(200);
    expect(html.headers?.['content-type']).toMatch(/^text\/plain/);
    expect(html.body).toBe('<html>gateway</html>');

    for (let i = 0; i < 2; i++) {
      const exhausted = chat(model);
      expect(exhausted.status).toBe(500);
      expect(JSON.parse(exhausted.body!).error.message).toBe('fake model script exhausted');
    }

    const raw = syncFetch(`${model.baseUrl}/chat/completions`, { method: 'POST', body: 'plain text' });
    expect(raw.status).toBe(500);

    const recorded = await model.requests();
    expect(recorded.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/models',
      ...Array<string>(6).fill('POST /v1/chat/completions'),
    ]);
    expect(recorded[1].body).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(recorded[6].body).toBe('plain text');
  });

  it('repeats the last reply when asked to', { timeout: 15_000 }, async () => {
    const model = await start([{ content: 'a' }, { content: 'b' }], { whenExhausted: 'repeat-last' });
    const contents = [1, 2, 3, 4].map(() => JSON.parse(chat(model).body!).choices[0].message.content);
    expect(contents).toEqual(['a', 'b', 'b', 'b']);
  });

  it('delays replies by delayMs', { timeout: 15_000 }, async () => {
    const model = await start([{ content: 'late', delayMs: 400 }]);
    const t0 = Date.now();
    expect(chat(model).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
  });

  it('hangs when scripted to, and close() ends the hanging request', { timeout: 15_000 }, async () => {
    const model = await start([{ hang: true }, { hang: true }]);
    const timedOut = chat(model, undefined, 500);
    expect(timedOut.error).toMatch(/TimeoutError/);

    const pending = fetch(`${model.baseUrl}/chat/completions`, { method: 'POST', body: '{}' }).then(
      (r) => `status ${r.status}`,
      (e: unknown) => `rejected: ${String(e)}`,
    );
    // Let the request reach the server before closing.
    for (let i = 0; i < 50 && (await model.requests()).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await model.requests()).toHaveLength(2);
    await model.close();
    expect(await pending).toMatch(/^rejected:/);
    await expect(model.requests()).rejects.toThrow(/stopped/);
    await model.close(); // idempotent
  });

  it('listens on a given port, and fails to start when it is taken', { timeout: 15_000 }, async () => {
    const first = await start([]);
    await expect(startFakeModel([], { port: first.port })).rejects.toThrow(/could not listen.*EADDRINUSE/);
    const port = first.port;
    await first.close();
    const again = await start([{ content: 'x' }], { port });
    expect(again.baseUrl).toBe(`http://127.0.0.1:${port}/v1`);
    expect(JSON.parse(chat(again).body!).choices[0].message.content).toBe('x');
  });

  it('is a server the openai client accepts', { timeout: 15_000 }, async () => {
    const model = await start([
      { status: 429, headers: { 'retry-after': '0' } },
      { toolCall: { name: 'emit_policy', arguments: { ok: true } } },
    ]);
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: model.baseUrl, maxRetries: 1 });
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const call = completion.choices[0].message.tool_calls?.[0];
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ ok: true });
    expect(completion.usage?.total_tokens).toBe(150);
    expect(await model.requests()).toHaveLength(2);
  });
});

describe('parseScript', () => {
  it('accepts every reply form and rejects malformed ones', { timeout: 5_000 }, () => {
    const ok = [{ toolCall: { name: 'f', arguments: {} } }, { content: 'c', delayMs: 5 }, { status: 429, headers: { 'retry-after': '1' } }, { hang: true }];
    expect(parseScript(ok)).toEqual(ok);
    expect(() => parseScript({})).toThrow(/JSON array/);
    expect(() => parseScript([{ nope: 1 }])).toThrow(/script\[0\] needs one of/);
    expect(() => parseScript([{ content: 1 }])).toThrow(/content must be a string/);
    expect(() => parseScript([{ status: 42 }])).toThrow(/status/);
    expect(() => parseScript([{ hang: false }])).toThrow(/hang must be true/);
    expect(() => parseScript([{ content: 'x', usage: { prompt_tokens: 1 } }])).toThrow(/usage/);
  });
});

describe('gptpolicy fake-model', () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } } };
  }

  it('serves a script file in the foreground until stopped', { timeout: 15_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-model-'));
    try {
      writeFileSync(join(dir, 'script.json'), JSON.stringify([{ content: 'one' }, { toolCall: { name: 'f', arguments: { n: 2 } } }]));
      const { out, err, io } = capture();
      const stop = new AbortController();
      const running = fakeModelCommand(['--script', 'script.json'], { ...io, cwd: dir, signal: stop.signal });

      for (let i = 0; i < 250 && out.length === 0 && err.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(err).toEqual([]);
      const match = /^fake model listening on (http:\/\/127\.0\.0\.1:\d+\/v1)\n$/.exec(out[0] ?? '');
      expect(match).not.toBeNull();
      const url = `${match![1]}/chat/completions`;
      const post = { method: 'POST', body: JSON.stringify({ model: 'm', messages: [] }) };
      const bodies = [1, 2, 3].map(() => JSON.parse(syncFetch(url, post).body!));
      expect(bodies[0].choices[0].message.content).toBe('one');
      expect(bodies[1].choices[0].message.tool_calls[0].function.arguments).toBe('{"n":2}');
      expect(bodies[2].choices[0].message.tool_calls[0].function.arguments).toBe('{"n":2}'); // repeat-last

      stop.abort();
      expect(await running).toBe(0);
      expect(out[1]).toBe('fake model stopped after 3 requests\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports usage errors and bad scripts', { timeout: 10_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-model-'));
    try {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify([{ content: 3 }]));
      const a = capture();
      expect(await fakeModelCommand([], a.io)).toBe(2);
      expect(a.err.join('')).toContain('--script FILE.json is required');
      const b = capture();
      expect(await fakeModelCommand(['--script', 'x.json', '--port', 'abc'], b.io)).toBe(2);
      const c = capture();
      expect(await fakeModelCommand(['--script', 'bad.json'], { ...c.io, cwd: dir })).toBe(1);
      expect(c.err.join('')).toContain('content must be a string');
      const d = capture();
      expect(await fakeModelCommand(['--script=missing.json'], { ...d.io, cwd: dir })).toBe(1);
      expect(d.err.join('')).toContain('ENOENT');
      const e = capture();
      expect(await fakeModelCommand(['--help'], e.io)).toBe(0);
      expect(e.out.join('')).toContain('usage: gptpolicy fake-model');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
