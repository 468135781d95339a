import { describe, expect, it } from 'vitest';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { buildChatRequest, buildMessages } from '../../lib/model/chat-request.ts';
import { classifyReply } from '../../lib/model/classify-response.ts';
import { modelSchema } from '../../lib/model/answer-schema.ts';
import { readAnswer } from '../../lib/model/read-answer.ts';
import { denyProdAnswer } from '../fixtures/answers.ts';

const completion = (message: Record<string, unknown>): ChatCompletion =>
  ({ id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', refusal: null, content: null, ...message } }] }) as ChatCompletion;

const toolCall = (args: string): ChatCompletion => completion({ tool_calls: [{ id: 'c1', type: 'function', function: { name: 'submit_policy', arguments: args } }] });

describe('readAnswer', () => {
  it('reads the submit_policy tool call', () => {
    const read = readAnswer(toolCall(JSON.stringify(denyProdAnswer())));
    expect(read.ok && read.answer.policy.resources).toEqual(['pods']);
  });

  it('falls back to JSON in the content, fenced or bare', () => {
    const json = JSON.stringify(denyProdAnswer());
    expect(readAnswer(completion({ content: 'Here:\n```json\n' + json + '\n```' })).ok).toBe(true);
    expect(readAnswer(completion({ content: `Sure. ${json}` })).ok).toBe(true);
  });

  it('accepts an answer without helpers, as []', () => {
    const { helpers: _none, ...answer } = { ...denyProdAnswer(), helpers: [] };
    const read = readAnswer(toolCall(JSON.stringify(answer)));
    expect(read.ok && read.answer.helpers).toEqual([]);
  });

  it.each([
    ['arguments that are not JSON', toolCall('{"plan": '), 'parse', 'not valid JSON'],
    ['no tool call and no JSON', completion({ content: 'I cannot help' }), 'transport', 'no submit_policy tool call'],
    ['a Controller type', toolCall(JSON.stringify({ ...denyProdAnswer(), policy: { ...denyProdAnswer().policy, type: 'Controller' } })), 'validate', 'policy.type: expected one of "Validating", "Mutating", got a string of 10 characters "Controller"'],
    ['blank javascript', toolCall(JSON.stringify({ ...denyProdAnswer(), policy: { ...denyProdAnswer().policy, javascript: ' ' } })), 'validate', 'policy.javascript: expected a string that is not blank'],
    ['no choices', { choices: [] } as unknown as ChatCompletion, 'transport', 'choices: expected a list with one choice, got an empty array'],
    ['resources as strings', toolCall(JSON.stringify({ ...denyProdAnswer(), plan: { ...denyProdAnswer().plan, resources: ['pods'] } })), 'validate', 'plan.resources[0]: expected an object {group, version, resource}, got a string of 4 characters "pods"'],
    ['a test case request that is not an AdmissionRequest', toolCall(JSON.stringify({ ...denyProdAnswer(), tests: [{ ...denyProdAnswer().tests[0], request: '{"operation":"create"}' }] })), 'validate', 'tests[0].request: operation: expected one of "CREATE", "UPDATE", "DELETE", "CONNECT", got a string of 6 characters "create"'],
  ])('given %s, says where and what is wrong', (_name, reply, stage, finding) => {
    const read = readAnswer(reply);
    expect(read).toMatchObject({ ok: false, stage });
    expect(!read.ok && read.findings.join('\n')).toContain(finding);
  });
});

describe('the schema the model is given', () => {
  it('is the acceptance schema without what strict servers refuse, every property required', () => {
    const text = JSON.stringify(modelSchema());
    for (const keyword of ['maxLength', 'maxItems', 'pattern', 'default', '$ref', '$defs', '$id']) expect(text).not.toContain(`"${keyword}"`);
    expect(modelSchema()).toMatchObject({ additionalProperties: false, required: ['plan', 'helpers', 'policy', 'tests'] });
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
