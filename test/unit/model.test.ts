import { describe, expect, it } from 'vitest';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { buildChatRequest, buildMessages } from '../../lib/model/chat-request.ts';
import { classifyReply } from '../../lib/model/classify-response.ts';
import { parseAnswer } from '../../lib/model/parse-answer.ts';
import { denyProdAnswer } from '../fixtures/answers.ts';

const completion = (message: Record<string, unknown>): ChatCompletion =>
  ({ id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', refusal: null, content: null, ...message } }] }) as ChatCompletion;

const toolCall = (args: string): ChatCompletion => completion({ tool_calls: [{ id: 'c1', type: 'function', function: { name: 'submit_policy', arguments: args } }] });

describe('parseAnswer', () => {
  it('reads the submit_policy tool call', () => {
    const parsed = parseAnswer(toolCall(JSON.stringify(denyProdAnswer())));
    expect(parsed.ok && parsed.answer.policy.resources).toEqual(['pods']);
  });

  it('falls back to JSON in the content, fenced or bare', () => {
    const json = JSON.stringify(denyProdAnswer());
    expect(parseAnswer(completion({ content: 'Here:\n```json\n' + json + '\n```' })).ok).toBe(true);
    expect(parseAnswer(completion({ content: `Sure. ${json}` })).ok).toBe(true);
  });

  it.each([
    ['arguments that are not JSON', toolCall('{"plan": '), 'not valid JSON'],
    ['no tool call and no JSON', completion({ content: 'I cannot help' }), 'no submit_policy tool call'],
    ['a Controller type', toolCall(JSON.stringify({ ...denyProdAnswer(), policy: { ...denyProdAnswer().policy, type: 'Controller' } })), 'policy.type'],
    ['empty javascript', toolCall(JSON.stringify({ ...denyProdAnswer(), policy: { ...denyProdAnswer().policy, javascript: ' ' } })), 'policy.javascript'],
    ['no choices', { choices: [] } as unknown as ChatCompletion, 'no choices'],
  ])('given %s, says what is wrong', (_name, reply, message) => {
    const parsed = parseAnswer(reply);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(message);
  });
});

describe('classifyReply', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    [429, { 'Retry-After': '7' }, 'transient', 7],
    [503, {}, 'transient', undefined],
    [500, { 'Retry-After': 'Thu, 01 Jan 2026 00:00:30 GMT' }, 'transient', 30],
    [429, { 'retry-after-ms': '1500' }, 'transient', 1.5],
    [401, {}, 'fatal', undefined],
    [400, {}, 'fatal', undefined],
  ])('status %i with %j is %s (retry after %s s)', (status, headers, kind, retryAfter) => {
    const reply = classifyReply({ status, headers, body: '{"error":{"message":"nope"}}' }, now);
    expect(reply.kind).toBe(kind);
    if (reply.kind === 'transient') expect(reply.retryAfterSeconds).toBe(retryAfter);
    if (reply.kind !== 'completion') expect(reply.message).toContain('nope');
  });

  it('treats a 200 with a body that is not JSON as a bad response', () => {
    expect(classifyReply({ status: 200, headers: {}, body: '<html>' }, now)).toMatchObject({ kind: 'fatal', reason: 'ModelBadResponse' });
  });

  it('treats a transport error as transient', () => {
    expect(classifyReply({ transportError: 'fetchSync: dial tcp: connection refused' }, now)).toMatchObject({ kind: 'transient', reason: 'ModelUnreachable' });
  });
});

describe('buildChatRequest', () => {
  const settings = { model: 'gpt-x', maxTokens: 1000, maxTokensParam: 'max_tokens' as const, toolMode: 'force' as const };

  it('forces the tool with modern tools/tool_choice and the configured length limit', () => {
    const body = buildChatRequest(settings, buildMessages('deny x', [], 'force'));
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'submit_policy' } });
    expect(body).not.toHaveProperty('functions');
    expect(body.max_tokens).toBe(1000);
    expect(body).not.toHaveProperty('max_completion_tokens');
  });

  it('asks for JSON in the content when tools are off', () => {
    const body = buildChatRequest({ ...settings, toolMode: 'none' }, buildMessages('deny x', [], 'none'));
    expect(body.tools).toBeUndefined();
    expect(String(body.messages[0]?.content)).toContain('in the message content');
  });

  it('sends feedback as the next turn of the same conversation', () => {
    const messages = buildMessages('deny x', [{ answer: '{"a":1}', feedback: 'apiGroups is wrong' }], 'force');
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(messages[3]).toMatchObject({ role: 'tool', tool_call_id: 'call_1', content: 'apiGroups is wrong' });
  });
});
