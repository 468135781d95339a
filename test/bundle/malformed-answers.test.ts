// The malformed-answer corpus (issue 11), through the built bundle as jsPolicy runs it, against the
// fake model on 127.0.0.1 and the in-memory API server (which validates custom resources against
// their CRD schemas and refuses objects over etcd's 1.5 MiB, as a real one does). Every answer, of
// every shape a non-strict server, a proxy or a prompted model may send, ends applied when it is
// usable after a documented coercion, or with a feedback round or MalformedAnswer naming the path —
// never an uncaught exception, never a stale mark, the usage kept, the status bounded, the key
// nowhere, nothing half-applied.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import type { ModelAnswer } from '../../lib/model/answer.ts';
import { jsonBytes, STATUS_BOUNDS } from '../../lib/controller/status-bounds.ts';
import { startFakeModel, type FakeModel, type RecordedRequest, type ScriptedReply } from '../../tools/fake-model/index.ts';
import { LocalJsPolicy, type LocalJsPolicyOptions } from '../../tools/local/local-jspolicy.ts';
import { buildControllerRequest } from '../../tools/runtime/controller/index.ts';
import { runPolicyScript } from '../../tools/runtime/index.ts';
import { denyProdAnswer, INCIDENT_INTENT, requestJson } from '../fixtures/answers.ts';

const KEY = 'sk-corpus-Key0123456789abcdefXYZ';
const GP = 'gptpolicy.dev/v1alpha1';
const JSP = 'policy.jspolicy.com/v1beta1';
const STATUS_LIMIT = 256 * 1024;

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

interface Run {
  local: LocalJsPolicy;
  gp: GPTPolicy;
  logs: string[];
  requests: RecordedRequest[];
  errors: string[];
  ready: { reason: string; message: string; status: string } | undefined;
}

interface RunOptions extends LocalJsPolicyOptions {
  maxAttempts?: number;
  before?: (local: LocalJsPolicy) => void;
}

async function run(script: ScriptedReply[], options: RunOptions = {}): Promise<Run> {
  const { maxAttempts, before, ...local } = options;
  model = await startFakeModel(script);
  const logs: string[] = [];
  const cluster = new LocalJsPolicy({ apiKey: KEY, env: { OPENAI_BASE_URL: model.baseUrl }, log: (l) => logs.push(l), ...local });
  before?.(cluster);
  cluster.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'p' }, spec: { description: INCIDENT_INTENT, ...(maxAttempts ? { maxAttempts } : {}) } });
  const stats = cluster.settle();
  const gp = cluster.get<GPTPolicy>(GP, 'GPTPolicy', 'p') as GPTPolicy;
  return { local: cluster, gp, logs, requests: await model.requests(), errors: stats.errors, ready: gp.status?.conditions?.find((c) => c.type === 'Ready') };
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

/**
 * What must hold after any answer: no uncaught error, no stale mark, the status bounded, the key
 * nowhere (in this GPTPolicy, its JsPolicy, the log lines about it, or what was sent to the model
 * for it), and nothing half-applied.
 */
function expectSound(r: Pick<Run, 'local' | 'logs' | 'errors'>, gp: GPTPolicy, requests: RecordedRequest[], options: { errors?: boolean } = {}): void {
  const name = gp.metadata.name ?? '';
  const log = r.logs.filter((l) => !l.includes('"gptpolicy":') || l.includes(`"gptpolicy":"${name}"`)).join('\n');
  expect(log).not.toContain('reconcile failed');
  expect(log).not.toContain('controller error');
  if (!options.errors) expect(r.errors).toEqual([]);
  expect(gp.status?.generation?.inFlightSince).toBeUndefined();
  expect(gp.status?.generation?.answeredAt).toBeUndefined();
  expect(jsonBytes(gp.status)).toBeLessThanOrEqual(STATUS_LIMIT);
  const policy = r.local.get<JsPolicy>(JSP, 'JsPolicy', `${name}.gptpolicy.dev`);
  const everything = [JSON.stringify(gp), JSON.stringify(policy ?? null), log, JSON.stringify(requests.map((q) => q.body))].join('\n');
  for (const form of [KEY, encodeURIComponent(KEY), b64(KEY).slice(0, 24), b64(`x${KEY}`).slice(4, 28), b64(`xy${KEY}`).slice(4, 28)]) expect(everything).not.toContain(form);
  // Applied, or nothing: the policy exists exactly when the status says it was applied.
  const ready = gp.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.reason === 'PolicyApplied') expect(policy).toBeDefined();
  else expect(policy).toBeUndefined();
}

const tool = (args: unknown, extra: Partial<Extract<ScriptedReply, { toolCall: unknown }>> = {}): ScriptedReply => ({ toolCall: { name: 'submit_policy', arguments: args }, ...extra });

/** A raw 200 whose body is this completion (any shape at all). */
const completion = (body: unknown): ScriptedReply => ({ status: 200, body });
/** A raw 200 with exactly this body text, sent as JSON. */
const raw = (text: string): ScriptedReply => ({ status: 200, bodyBase64: Buffer.from(text).toString('base64') });
const message = (msg: unknown, usage: unknown = { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 }): ScriptedReply => completion({ id: 'c', object: 'chat.completion', choices: [{ index: 0, message: msg, finish_reason: 'stop' }], usage });
const call = (name: string, args: unknown) => ({ id: `call_${name}`, type: 'function', function: { name, arguments: args } });

const pod = (namespace: string, env: string): string => requestJson({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace, labels: { env } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

/** The incident answer with a small step: a proposed helper, with its own tests, that the policy calls. */
function helperAnswer(): ModelAnswer {
  const answer = denyProdAnswer();
  return {
    ...answer,
    helpers: [
      {
        function: 'labelledProd',
        description: 'Whether an object carries the label env=prod.',
        code: "function labelledProd(obj) { return obj?.metadata?.labels?.env === 'prod'; }",
        reusable: false,
        tests: [
          { name: 'a prod pod is', call: 'labelledProd(request.object)', request: pod('test', 'prod'), expect: 'truthy', detail: '' },
          { name: 'a dev pod is not', call: 'labelledProd(request.object)', request: pod('test', 'dev'), expect: 'falsy', detail: '' },
        ],
      },
    ],
    policy: { ...answer.policy, javascript: "if (request.namespace === 'test' && labelledProd(request.object)) { deny('pods labelled env=prod are not allowed in namespace test'); }" },
  };
}

const withPlan = (plan: Record<string, unknown>) => ({ ...denyProdAnswer(), plan: { ...denyProdAnswer().plan, ...plan } });
const withPolicy = (policy: Record<string, unknown>) => ({ ...denyProdAnswer(), policy: { ...denyProdAnswer().policy, ...policy } });
const withTest0 = (testCase: Record<string, unknown>) => {
  const answer = denyProdAnswer();
  return { ...answer, tests: [{ ...answer.tests[0], ...testCase }, ...answer.tests.slice(1)] };
};
const nested = (depth: number, inner = '1'): string => `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;

// ---------------------------------------------------------------------------------------------
// One answer, then (when it was not usable) a good one: a feedback round that names the path.

interface Case {
  name: string;
  reply: ScriptedReply;
  /** applied: usable after coercion, one call. feedback: the next turn names each of `mentions`, then the good answer is applied. */
  expect: 'applied' | 'feedback';
  mentions?: string[];
}

const CASES: Case[] = [
  // Transport shapes.
  { name: 'choices: []', reply: completion({ choices: [], usage: { prompt_tokens: 5 } }), expect: 'feedback', mentions: ['choices: expected a list with one choice, got an empty array'] },
  { name: 'choices as an object', reply: completion({ choices: { message: {} } }), expect: 'feedback', mentions: ['choices: expected a list with one choice, got an object'] },
  { name: 'the message as a string', reply: message('here is my policy'), expect: 'feedback', mentions: ['choices[0].message: expected an object, got a string'] },
  { name: 'the message null', reply: message(null), expect: 'feedback', mentions: ['choices[0].message: expected an object, got null'] },
  { name: 'tool_calls as an object', reply: message({ role: 'assistant', tool_calls: call('submit_policy', JSON.stringify(denyProdAnswer())) }), expect: 'applied' },
  { name: 'tool_calls as a string, the answer in the content', reply: message({ role: 'assistant', tool_calls: 'none', content: JSON.stringify(denyProdAnswer()) }), expect: 'applied' },
  { name: 'tool_calls: [null] and no content', reply: message({ role: 'assistant', tool_calls: [null], content: null }), expect: 'feedback', mentions: ['no submit_policy tool call'] },
  { name: 'function.arguments as an object', reply: message({ role: 'assistant', tool_calls: [call('submit_policy', denyProdAnswer())] }), expect: 'applied' },
  { name: 'function.arguments as a number', reply: message({ role: 'assistant', tool_calls: [call('submit_policy', 42)] }), expect: 'feedback', mentions: ['submit_policy function.arguments: expected the answer as a JSON string, got the number 42'] },
  { name: 'function as a string', reply: message({ role: 'assistant', tool_calls: [{ id: 'x', type: 'function', function: 'submit_policy' }] }), expect: 'feedback', mentions: ['no submit_policy tool call'] },
  { name: 'usage as a string', reply: message({ role: 'assistant', content: JSON.stringify(denyProdAnswer()) }, 'lots'), expect: 'applied' },
  { name: 'usage nested deep', reply: raw(`{"choices":[{"index":0,"message":{"role":"assistant","content":${JSON.stringify(JSON.stringify(denyProdAnswer()))}}}],"usage":${nested(5000)}}`), expect: 'applied' },
  { name: 'content as a list of parts', reply: message({ role: 'assistant', content: [{ type: 'text', text: JSON.stringify(denyProdAnswer()) }] }), expect: 'applied' },
  // Several tool calls, no tool call.
  { name: 'an unknown tool call before submit_policy', reply: message({ role: 'assistant', tool_calls: [call('search_docs', '{"q":"jsPolicy"}'), call('submit_policy', JSON.stringify(denyProdAnswer()))] }), expect: 'applied' },
  { name: 'the same submit_policy call twice', reply: message({ role: 'assistant', tool_calls: [call('submit_policy', JSON.stringify(denyProdAnswer())), call('submit_policy', JSON.stringify(denyProdAnswer()))] }), expect: 'applied' },
  { name: 'two different submit_policy calls', reply: message({ role: 'assistant', tool_calls: [call('submit_policy', JSON.stringify(denyProdAnswer())), call('submit_policy', JSON.stringify(withPlan({ summary: 'other' })))] }), expect: 'feedback', mentions: ['tool_calls: 2 submit_policy calls with different arguments'] },
  { name: 'only another tool', reply: message({ role: 'assistant', tool_calls: [call('search_docs', '{}')] }), expect: 'feedback', mentions: ['no submit_policy tool call (it called search_docs)'] },
  { name: 'no tool call, prose in the content', reply: { content: 'I would deny prod pods in test.' }, expect: 'feedback', mentions: ['no submit_policy tool call and no JSON object in the message content'] },
  // Not JSON, too large, too deep.
  { name: 'invalid JSON arguments', reply: tool('{"plan": {"summary": "x",'), expect: 'feedback', mentions: ['(the answer)', 'not valid JSON'] },
  { name: 'arguments that are a JSON array', reply: tool('[1, 2]'), expect: 'feedback', mentions: ['(the root): expected an object {plan, helpers, policy, tests}, got an array of 2 items'] },
  { name: 'a 2 MiB plan.summary', reply: tool(withPlan({ summary: 'x'.repeat(2 * 1024 * 1024) })), expect: 'feedback', mentions: ['characters, over the 65536 allowed'] },
  { name: 'a 5,000-character plan.summary', reply: tool(withPlan({ summary: 'x'.repeat(5000) })), expect: 'feedback', mentions: ['plan.summary: expected at most 1000 characters, got a string of 5000 characters'] },
  { name: 'plan.summary nested 6,000 levels deep', reply: tool(JSON.stringify(denyProdAnswer()).replace(/"summary":"[^"]*"/, `"summary":${'['.repeat(6000)}${']'.repeat(6000)}`)), expect: 'feedback', mentions: ['nested more than 8 levels deep (at plan.summary[0]'] },
  { name: 'arguments as an object nested 20,000 deep', reply: raw(`{"choices":[{"index":0,"message":{"role":"assistant","tool_calls":[{"id":"x","type":"function","function":{"name":"submit_policy","arguments":${nested(20000)}}}]}}]}`), expect: 'feedback', mentions: ['submit_policy'] },
  { name: '500 test cases', reply: tool({ ...denyProdAnswer(), tests: Array.from({ length: 500 }, (_, i) => ({ name: `t${i}`, request: '', expect: 'allow', detail: '' })) }), expect: 'feedback', mentions: ['tests: expected at most 20 items, got an array of 500 items'] },
  { name: '100 operations', reply: tool(withPlan({ operations: Array.from({ length: 100 }, () => 'CREATE') })), expect: 'feedback', mentions: ['plan.operations: expected at most 32 items'] },
  // The shapes of the issue that crashed the run.
  { name: 'plan.resources as strings', reply: tool(withPlan({ resources: ['pods'] })), expect: 'feedback', mentions: ['plan.resources[0]: expected an object {group, version, resource}, got a string of 4 characters "pods"'] },
  { name: 'plan.resources: [null]', reply: tool(withPlan({ resources: [null] })), expect: 'feedback', mentions: ['plan.resources[0]: expected an object {group, version, resource}, got null'] },
  { name: 'objectSelector as a number', reply: tool(withPolicy({ objectSelector: 5 })), expect: 'feedback', mentions: ['policy.objectSelector: expected a string of at most 4096 characters, got the number 5'] },
  { name: 'objectSelector null', reply: tool(withPolicy({ objectSelector: null })), expect: 'feedback', mentions: ['policy.objectSelector: expected a string of at most 4096 characters, got null'] },
  { name: 'tests: [null]', reply: tool({ ...denyProdAnswer(), tests: [null] }), expect: 'feedback', mentions: ['tests[0]: expected an object {name, request, expect, detail}, got null'] },
  { name: 'plan.mutates as a number', reply: tool(withPlan({ mutates: 0 })), expect: 'feedback', mentions: ['plan.mutates: expected a string of at most 1000 characters, got the number 0'] },
  { name: 'helpers[].tests: [null]', reply: tool({ ...helperAnswer(), helpers: [{ ...helperAnswer().helpers![0]!, tests: [null] }] }), expect: 'feedback', mentions: ['helpers[0].tests[0]: expected an object {name, call, request, expect, detail}, got null'] },
  { name: 'an empty object', reply: tool({}), expect: 'feedback', mentions: ['plan: expected an object', 'policy: expected an object', 'tests: expected a list'] },
  // The JSON carried in strings.
  { name: 'an objectSelector that is not JSON', reply: tool(withPolicy({ objectSelector: '{env: prod}' })), expect: 'feedback', mentions: ['policy.objectSelector: expected a LabelSelector as JSON, or ""; it is not valid JSON'] },
  { name: 'an objectSelector with a bad operator', reply: tool(withPolicy({ objectSelector: '{"matchExpressions":[{"key":"env","operator":"in","values":["prod"]}]}' })), expect: 'feedback', mentions: ['policy.objectSelector: matchExpressions[0].operator: expected one of "In", "NotIn", "Exists", "DoesNotExist"'] },
  { name: 'an objectSelector nested deep', reply: tool(withPolicy({ objectSelector: `{"matchLabels":${nested(50, '"x"')}}` })), expect: 'feedback', mentions: ['policy.objectSelector', 'nested more than'] },
  { name: 'a test request that is not JSON', reply: tool(withTest0({ request: 'CREATE pod web' })), expect: 'feedback', mentions: ['tests[0].request: expected an AdmissionRequest as JSON; it is not valid JSON'] },
  { name: 'a test request without kind', reply: tool(withTest0({ request: '{"operation":"CREATE","resource":{"group":"","version":"v1","resource":"pods"}}' })), expect: 'feedback', mentions: ['tests[0].request: kind: expected an object {group, version, kind}, got nothing (it is missing)'] },
  { name: 'a test request with kind as a string', reply: tool(withTest0({ request: JSON.stringify({ ...JSON.parse(pod('test', 'prod')), kind: 'Pod' }) })), expect: 'feedback', mentions: ['tests[0].request: kind: expected an object {group, version, kind}, got a string of 3 characters "Pod"'] },
  { name: 'a test request nested 100 deep', reply: tool(withTest0({ request: JSON.stringify({ ...JSON.parse(pod('test', 'prod')), object: JSON.parse(nested(100)) }) })), expect: 'feedback', mentions: ['tests[0].request: expected an AdmissionRequest as JSON; it is nested more than 32 levels deep (at object.a.a'] },
  { name: 'a mutation subset that is not JSON', reply: tool({ ...withTest0({ expect: 'mutate', detail: 'labels added' }) }), expect: 'feedback', mentions: ['tests[0].detail: expected a JSON object (a subset of the mutated object)'] },
  { name: 'a helper test request that is not JSON', reply: tool({ ...helperAnswer(), helpers: [{ ...helperAnswer().helpers![0]!, tests: helperAnswer().helpers![0]!.tests.map((t, i) => (i === 0 ? { ...t, request: '{' } : t)) }] }), expect: 'feedback', mentions: ['helpers[0].tests[0].request: expected part of an AdmissionRequest as JSON'] },
  // Bad UTF-8 and lone surrogates.
  {
    name: 'bad UTF-8 in the body',
    reply: {
      status: 200,
      bodyBase64: Buffer.concat([
        Buffer.from(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(withPlan({ summary: 'SPLIT' })) } }], usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 } }).split('SPLIT')[0]!),
        Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
        Buffer.from(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(withPlan({ summary: 'SPLIT' })) } }], usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 } }).split('SPLIT')[1]!),
      ]).toString('base64'),
    },
    expect: 'applied',
  },
  { name: 'lone surrogates in strings', reply: tool(JSON.stringify(withPlan({ summary: 'x' })).replace('"summary":"x"', '"summary":"\\ud800 half \\udfff"').replace('"allows":"every other pod"', '"allows":"\\udbff"')), expect: 'applied' },
  // Self-tests that overflow the stack.
  { name: 'a policy that recurses without end', reply: tool(withPolicy({ javascript: "function f(n) { return f(n + 1) + 1; } if (request.namespace === 'test' && request.object?.metadata?.labels?.env === 'prod') { f(0); deny('env=prod'); }" })), expect: 'feedback', mentions: ['prod pod in test is denied', 'Maximum call stack size exceeded'] },
  { name: 'a helper whose test recurses without end', reply: tool({ ...helperAnswer(), helpers: [{ ...helperAnswer().helpers![0]!, code: 'function labelledProd(obj) { return labelledProd(obj); }' }] }), expect: 'feedback', mentions: ['helper labelledProd', 'Maximum call stack size exceeded'] },
  {
    name: 'a mutation that builds an object nested 9,999 deep',
    reply: tool({
      ...denyProdAnswer(),
      plan: { ...denyProdAnswer().plan, mutates: 'sets spec.x' },
      policy: { ...denyProdAnswer().policy, type: 'Mutating', javascript: "if (request.object?.metadata?.labels?.env === 'prod') { let o = {}; for (let i = 0; i < 9999; i++) { o = { a: o }; } request.object.spec.x = o; mutate(request.object); }" },
      tests: [{ ...denyProdAnswer().tests[0]!, expect: 'mutate', detail: '' }, denyProdAnswer().tests[1]!],
    }),
    expect: 'feedback',
    mentions: ['prod pod in test is denied', 'Maximum call stack size exceeded'],
  },
];

/**
 * Runs each case's script for a GPTPolicy of its own (c0, c1, …), one after the other in one
 * installation (one model script for all): each case's requests are the ones its runs made.
 */
async function corpus(cases: Array<{ script: ScriptedReply[] }>) {
  model = await startFakeModel(cases.flatMap((c) => c.script));
  const logs: string[] = [];
  const local = new LocalJsPolicy({ apiKey: KEY, env: { OPENAI_BASE_URL: model.baseUrl }, log: (l) => logs.push(l) });
  const errors: string[] = [];
  const results: Array<{ gp: GPTPolicy; requests: RecordedRequest[] }> = [];
  let seen = 0;
  for (const [i] of cases.entries()) {
    local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: `c${i}` }, spec: { description: INCIDENT_INTENT } });
    errors.push(...local.settle().errors);
    const all = await model.requests();
    results.push({ gp: local.get<GPTPolicy>(GP, 'GPTPolicy', `c${i}`) as GPTPolicy, requests: all.slice(seen) });
    seen = all.length;
  }
  const requests = await model.requests();
  await model.close();
  model = undefined;
  return { local, logs, errors, requests, results };
}

describe('the malformed-answer corpus', () => {
  const scripts = CASES.map((c) => ({ script: c.expect === 'applied' ? [c.reply] : [c.reply, tool(denyProdAnswer())] }));
  let ran: Awaited<ReturnType<typeof corpus>>;
  beforeAll(async () => {
    ran = await corpus(scripts);
  }, 180_000);

  it.each(CASES.map((c, i) => ({ ...c, i })))('$name', (c) => {
    const { gp, requests } = ran.results[c.i]!;
    const script = scripts[c.i]!.script;
    expectSound(ran, gp, requests);
    expect(requests).toHaveLength(script.length);
    expect(gp.status?.conditions?.find((x) => x.type === 'Ready')).toMatchObject({ status: 'True', reason: 'PolicyApplied' });
    // Every answer counted: a model call each, whatever its usage looked like.
    expect(gp.status?.usage?.modelCalls).toBe(script.length);
    if (c.expect === 'feedback') {
      const turn = JSON.stringify(requests[1]?.body);
      for (const mention of c.mentions ?? []) expect(turn).toContain(JSON.stringify(mention).slice(1, -1));
      expect(gp.status?.attempts?.map((a) => a.outcome)).toEqual([expect.stringMatching(/malformed|findings|tests-failed/), 'applied']);
    }
  });

  it('token counts sent as strings are counted as numbers', async () => {
    const r = await run([message({ role: 'assistant', content: JSON.stringify(denyProdAnswer()) }, { prompt_tokens: '01200', completion_tokens: '34', total_tokens: '1234' })]);
    expectSound(r, r.gp, r.requests);
    expect(r.gp.status?.usage).toEqual({ modelCalls: 1, promptTokens: 1200, completionTokens: 34, totalTokens: 1234 });
  }, 30_000);

  it.each([
    ['a non-JSON 200', { status: 200, body: '<html>502 Bad Gateway</html>' } as ScriptedReply, 'not JSON'],
    ['a JSON array', { status: 200, body: [1, 2, 3] } as ScriptedReply, 'a JSON array, not a chat completion object'],
    ['a body over 4 MiB', { status: 200, body: `{"choices":[],"pad":"${'x'.repeat(4 * 1024 * 1024)}"}` } as ScriptedReply, 'over the 4194304 a completion may be'],
  ])('%s ends ModelBadResponse, with no mark left', async (_name, reply, says) => {
    const r = await run([reply, tool(denyProdAnswer())]);
    expectSound(r, r.gp, r.requests);
    expect(r.requests).toHaveLength(1);
    expect(r.ready).toMatchObject({ reason: 'ModelBadResponse' });
    expect(r.ready?.message).toContain(says);
  }, 30_000);

  it('an answer without helpers stays accepted', async () => {
    const { helpers: _none, ...answer } = { ...denyProdAnswer(), helpers: undefined };
    const r = await run([tool(answer)]);
    expectSound(r, r.gp, r.requests);
    expect(r.ready).toMatchObject({ reason: 'PolicyApplied' });
  }, 30_000);

  it('malformed answers within maxAttempts end MalformedAnswer naming the path, with every call counted', async () => {
    const r = await run([tool(withPlan({ resources: ['pods'] })), tool({ ...denyProdAnswer(), tests: [null] }), tool(withPlan({ mutates: 7 })), tool(denyProdAnswer())], { maxAttempts: 3 });
    expectSound(r, r.gp, r.requests);
    expect(r.requests).toHaveLength(3);
    expect(r.ready).toMatchObject({ status: 'False', reason: 'MalformedAnswer' });
    expect(r.ready?.message).toContain('plan.mutates: expected a string');
    expect(r.gp.status?.usage).toMatchObject({ modelCalls: 3, totalTokens: 450 });
    expect(r.gp.status?.attempts?.map((a) => a.outcome)).toEqual(['malformed', 'malformed', 'malformed']);
  }, 30_000);
});

// ---------------------------------------------------------------------------------------------
// Sweeps over the schema: a wrong type, null, or nothing in every field, one GPTPolicy each.

type Path = (string | number)[];

function fieldPaths(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return [path, ...(value.length > 0 ? fieldPaths(value[0], [...path, 0]) : [])];
  if (value !== null && typeof value === 'object') return [path, ...Object.entries(value).flatMap(([k, v]) => fieldPaths(v, [...path, k]))];
  return [path];
}

function edited(answer: unknown, path: Path, edit: (holder: Record<string | number, unknown>, key: string | number) => void): unknown {
  const copy = structuredClone(answer) as Record<string | number, unknown>;
  let holder = copy;
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
  edit(holder, path[path.length - 1]!);
  return copy;
}

const wrongType = (v: unknown): unknown => (typeof v === 'string' ? 42 : typeof v === 'boolean' ? 'yes' : Array.isArray(v) ? 'a list' : v !== null && typeof v === 'object' ? ['an object'] : 'x');
const pathText = (path: Path): string => path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

async function sweep(cases: Array<{ name: string; answer: unknown; mentions: string }>) {
  model = await startFakeModel(cases.map((c) => tool(c.answer)));
  const logs: string[] = [];
  const local = new LocalJsPolicy({ apiKey: KEY, env: { OPENAI_BASE_URL: model.baseUrl }, log: (l) => logs.push(l) });
  const errors: string[] = [];
  const results = cases.map((c, i) => {
    local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: `c${i}` }, spec: { description: INCIDENT_INTENT, maxAttempts: 1 } });
    errors.push(...local.settle().errors);
    return { case: c, gp: local.get<GPTPolicy>(GP, 'GPTPolicy', `c${i}`) as GPTPolicy };
  });
  const requests = await model.requests();
  expect(requests).toHaveLength(cases.length);
  for (const { case: c, gp } of results) {
    const ready = gp.status?.conditions?.find((x) => x.type === 'Ready');
    expect.soft(ready, c.name).toMatchObject({ status: 'False', reason: 'MalformedAnswer' });
    expect.soft(ready?.message, c.name).toContain(c.mentions);
    expect.soft(gp.status?.usage?.modelCalls, c.name).toBe(1);
    expectSound({ local, logs, errors }, gp, []);
  }
}

describe('sweeps over every field of the schema', () => {
  const answer = helperAnswer();
  const paths = fieldPaths(answer).filter((p) => p.length > 0);

  it('a wrong type in every field is refused, naming the field', async () => {
    await sweep(paths.map((p) => ({ name: `${pathText(p)} of the wrong type`, answer: edited(answer, p, (h, k) => (h[k] = wrongType(h[k]))), mentions: `${pathText(p)}: expected` })));
  }, 240_000);

  it('null in every field is refused, naming the field', async () => {
    await sweep(paths.map((p) => ({ name: `${pathText(p)}: null`, answer: edited(answer, p, (h, k) => (h[k] = null)), mentions: `${pathText(p)}: expected` })));
  }, 240_000);

  it('every missing field is refused, naming it (helpers may be missing)', async () => {
    const required = paths.filter((p) => typeof p[p.length - 1] === 'string' && pathText(p) !== 'helpers');
    await sweep(required.map((p) => ({ name: `${pathText(p)} missing`, answer: edited(answer, p, (h, k) => delete h[k]), mentions: `${pathText(p)}: expected` })));
  }, 240_000);
});

// ---------------------------------------------------------------------------------------------
// The key never comes back: an endpoint echoing it, in every encoding, anywhere in what it returns.

describe('an endpoint echoing the API key', () => {
  const unicodeEscaped = (text: string) => [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  const ECHOES: Array<[string, ScriptedReply]> = [
    ['plain, in the plan', tool(withPlan({ summary: `echo: Authorization: Bearer ${KEY}` }))],
    ['JSON-escaped, in the arguments', tool(JSON.stringify(withPlan({ summary: 'ECHO' })).replace('ECHO', `Bearer ${unicodeEscaped(KEY)}`))],
    ['URL-encoded, in the plan', tool(withPlan({ denies: `see https://proxy.example/?auth=${encodeURIComponent(`Bearer ${KEY}`)}` }))],
    ['base64, in the plan', tool(withPlan({ allows: `request headers: ${b64(`Authorization: Bearer ${KEY}`)}` }))],
    ['base64, in a test name', tool({ ...denyProdAnswer(), tests: denyProdAnswer().tests.map((t, i) => (i === 1 ? { ...t, name: b64(`k=${KEY}`) } : t)) })],
    ['plain, in the policy code', tool(withPolicy({ javascript: `if (request.namespace === 'test' && request.object?.metadata?.labels?.env === 'prod') { deny('env=prod is not allowed (${KEY})'); }` }))],
    ['plain, in the content', { content: JSON.stringify(withPlan({ summary: KEY })) } as ScriptedReply],
    ['plain, as the name of another tool called (logged as ignored)', message({ role: 'assistant', tool_calls: [call(`Bearer ${KEY}`, '{}'), call('submit_policy', JSON.stringify(denyProdAnswer()))] })],
  ];
  let ran: Awaited<ReturnType<typeof corpus>>;
  beforeAll(async () => {
    ran = await corpus(ECHOES.map(([, reply]) => ({ script: [reply] })));
  }, 120_000);

  it.each(ECHOES.map(([name], i) => ({ name, i })))('$name: scrubbed before it is stored, logged or used', ({ i }) => {
    const { gp, requests } = ran.results[i]!;
    expectSound(ran, gp, requests);
    expect(gp.status?.conditions?.find((x) => x.type === 'Ready')).toMatchObject({ reason: 'PolicyApplied' });
  });

  it.each([
    ['in a malformed answer sent back as the next turn', tool(`{"plan": "Bearer ${KEY}"`)],
    ['in an invalid answer sent back as the next turn', tool(withPlan({ resources: [`Bearer ${KEY}`] }))],
  ])('%s: scrubbed', async (_name, reply) => {
    const r = await run([reply, tool(denyProdAnswer())]);
    expectSound(r, r.gp, r.requests);
    expect(r.requests).toHaveLength(2);
    expect(r.ready).toMatchObject({ reason: 'PolicyApplied' });
  }, 60_000);

  it('in 500 bodies, until the controller gives up: scrubbed from the reason', async () => {
    const echo: ScriptedReply = { status: 500, body: { error: { message: `upstream refused Bearer ${b64(KEY)} (${KEY})` } } };
    const r = await run([echo, echo, echo, echo, echo]);
    expectSound(r, r.gp, r.requests);
    expect(r.ready).toMatchObject({ reason: 'ModelUnavailable' });
    // (A base64 run keeps the one or two characters the key's bits only partly determine.)
    expect(r.ready?.message).toMatch(/upstream refused Bearer \[redacted\]\S{0,3} \(\[redacted\]\)/);
  }, 60_000);

  it('in a 401 body: scrubbed from the reason', async () => {
    const r = await run([{ status: 401, body: { error: { message: `Incorrect API key provided: ${KEY} (${b64(KEY)})` } } }]);
    expectSound(r, r.gp, r.requests);
    expect(r.ready).toMatchObject({ reason: 'ModelAuthFailed' });
    expect(r.ready?.message).toContain('[redacted]');
  }, 30_000);
});

// ---------------------------------------------------------------------------------------------
// Every run ends in a true status, and the status stays bounded.

describe('every run ends in a true status', () => {
  it('a self-test that hangs past the run timeout: RunInterrupted, with the usage kept', async () => {
    // One statement of built-in work on a 256 MiB string: no step of the sandbox's runs inside it.
    const hang = withPolicy({
      javascript:
        "if (request.namespace === 'test') { let big = 'xxxxxxxx'; for (let i = 0; i < 25; i++) { big = big + big; } " +
        "if (big.toUpperCase().toLowerCase().toUpperCase().toLowerCase().toUpperCase().toLowerCase().length > 0) { deny('env=prod'); } }",
    });
    const r = await run([tool(hang, { usage: { prompt_tokens: 1234, completion_tokens: 56, total_tokens: 1290 } }), tool(denyProdAnswer())], { controllerSpec: { timeoutSeconds: 3 } });
    expectSound(r, r.gp, r.requests, { errors: true });
    expect(r.errors.join('\n')).toContain('timed out');
    expect(r.requests).toHaveLength(1);
    expect(r.ready).toMatchObject({ status: 'False', reason: 'RunInterrupted' });
    expect(r.gp.status?.usage).toEqual({ modelCalls: 1, promptTokens: 1234, completionTokens: 56, totalTokens: 1290 });
  }, 60_000);

  it('an exception after the call (a kind gone from the cluster): ControllerError saying where, usage kept, nothing applied', async () => {
    const r = await run([tool(denyProdAnswer())], { before: (local) => local.cluster.remove('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'policyapprovals.gptpolicy.dev') });
    expect(r.ready).toMatchObject({ status: 'False', reason: 'ControllerError' });
    expect(r.ready?.message).toContain('controller error during apply: ErrorListing');
    expect(r.ready?.message).toContain('nothing was applied');
    expect(r.gp.status?.usage).toMatchObject({ modelCalls: 1, totalTokens: 150 });
    expect(r.gp.status?.generation).toMatchObject({ calls: 1 });
    expect(r.gp.status?.generation?.answeredAt).toBeUndefined();
    expect(r.local.get(JSP, 'JsPolicy', 'p.gptpolicy.dev')).toBeUndefined();
    expect(r.logs.join('\n')).toContain('"msg":"controller error during apply');
  }, 30_000);

  it('an exception before the call: ControllerError, no call made and none spent', async () => {
    const r = await run([tool(denyProdAnswer())], { before: (local) => local.cluster.remove('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'policyskills.gptpolicy.dev') });
    expect(r.requests).toHaveLength(0);
    expect(r.ready).toMatchObject({ status: 'False', reason: 'ControllerError' });
    expect(r.ready?.message).toContain('controller error during prompt');
    expect(r.gp.status?.generation).toMatchObject({ calls: 0 });
    expect(r.gp.status?.generation?.inFlightSince).toBeUndefined();
  }, 30_000);

  it('an uncaught exception is logged with its stack and said in the status, once', async () => {
    const r = await run([tool(denyProdAnswer())]);
    const gp = r.gp;
    // An event carrying an object the controller does not expect (no spec): reconcile throws.
    const { spec: _gone, ...broken } = gp;
    const logs: string[] = [];
    const runOnce = (object: KubeObject) =>
      runPolicyScript({
        policyName: 'gptpolicy-controller.gptpolicy.dev',
        javascript: (r.local.cluster.get(JSP, 'JsPolicy', undefined, 'gptpolicy-controller.gptpolicy.dev') as JsPolicy).spec.javascript as string,
        request: buildControllerRequest({ group: 'gptpolicy.dev', version: 'v1alpha1', kind: 'GPTPolicy', namespace: '', name: 'p' }, object),
        timeoutSeconds: 30,
        cluster: r.local.cluster,
        access: {
          apiServerUrls: ['https://10.96.0.1:443'],
          allowNetwork: false,
          env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
          files: { '/var/run/secrets/kubernetes.io/serviceaccount/token': 'local-service-account-token', '/var/run/secrets/kubernetes.io/serviceaccount/namespace': 'jspolicy' },
        },
        log: (l) => logs.push(l),
      });
    const outcome = runOnce(broken as KubeObject);
    expect(outcome.kind).toBe('completed');
    const line = logs.find((l) => l.includes('controller error (uncaught)'));
    expect(line).toContain('TypeError');
    expect(line).toContain('"stack":"TypeError');
    const after = r.local.get<GPTPolicy>(GP, 'GPTPolicy', 'p') as GPTPolicy;
    expect(after.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ControllerError' });
    expect(after.status?.conditions?.find((c) => c.type === 'Ready')?.message).toContain('controller error during reconcile: TypeError');
    // Said once: the same report is not written again (no loop of our own events).
    const { spec: _again, ...brokenAgain } = after;
    const version = after.metadata.resourceVersion;
    runOnce(brokenAgain as KubeObject);
    expect(r.local.get<GPTPolicy>(GP, 'GPTPolicy', 'p')?.metadata.resourceVersion).toBe(version);
  }, 60_000);

  it('five large answers: the status stays within 256 KiB, older answers summarized first', async () => {
    // Each answer: 70,000 control characters, not JSON. Kept whole, four of them (six bytes each as
    // JSON) would make a status over etcd's 1.5 MiB, which the API server refuses.
    const big = (i: number) => tool(`{"attempt": ${i}, "plan": "${'\u0001'.repeat(70_000)}`);
    const r = await run([1, 2, 3, 4, 5].map(big), { maxAttempts: 5 });
    expectSound(r, r.gp, r.requests);
    expect(r.ready).toMatchObject({ reason: 'MalformedAnswer' });
    expect(jsonBytes(r.gp.status)).toBeLessThanOrEqual(STATUS_BOUNDS.bytes);
    expect(r.gp.status?.usage?.modelCalls).toBe(5);
    const turns = r.gp.status?.generation?.turns ?? [];
    expect(turns).toHaveLength(4);
    expect(turns[0]?.answer).toContain('omitted to keep the status small');
    // The fifth call was sent the fourth answer as far as the bound keeps it.
    const messages = (r.requests[4]?.body as { messages: Array<{ role: string; tool_calls?: Array<{ function: { arguments: string } }> }> }).messages;
    expect(messages.filter((m) => m.role === 'assistant').at(-1)?.tool_calls?.[0]?.function.arguments.startsWith('{"attempt": 4')).toBe(true);
  }, 60_000);
});
