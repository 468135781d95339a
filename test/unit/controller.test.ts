import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/controller/config.ts';
import { intentHash } from '../../lib/controller/intent.ts';
import { generatedPolicyName } from '../../lib/controller/naming.ts';
import { nextStep } from '../../lib/controller/next-step.ts';
import { decide, MAX_TRANSIENT_FAILURES, type Ending } from '../../lib/controller/outcome.ts';
import { checkAnswer } from '../../lib/controller/pipeline.ts';
import { readAnswer } from '../../lib/model/read-answer.ts';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { denyProdAnswer, INCIDENT_INTENT } from '../fixtures/answers.ts';
import type { Checks } from '../../lib/controller/judge.ts';
import type { Finding } from '../../lib/lint/types.ts';

const NOW = Date.parse('2026-11-25T12:00:00Z');

function gptPolicy(status?: GPTPolicy['status']): GPTPolicy {
  return { apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'GPTPolicy', metadata: { name: 'deny-prod', uid: 'uid-1', generation: 1, resourceVersion: '5' }, spec: { description: INCIDENT_INTENT }, ...(status ? { status } : {}) };
}

const build = { name: 'deny-prod.gptpolicy.dev', intentHash: 'h', guardrails: { protectedNamespaces: ['jspolicy', 'kube-system'] } };
const passing: Checks = { lint: () => [], runCases: () => [] };
const ctx = (checks: Checks = passing) => ({ checks: () => ({ ...checks, formatFindings: (f: Finding[]) => f.map((x) => `${x.rule}: ${x.hint}`).join('\n') }) });

const completionWith = (args: unknown): ChatCompletion =>
  ({ choices: [{ index: 0, finish_reason: 'tool_calls', logprobs: null, message: { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'submit_policy', arguments: JSON.stringify(args) } }] } }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }) as unknown as ChatCompletion;

describe('nextStep', () => {
  it('when the status describes the current intent, does nothing', () => {
    const gp = gptPolicy();
    expect(nextStep(gptPolicy({ intentHash: intentHash(gp) }), NOW).kind).toBe('idle');
  });

  it('when the intent is new, records the call before making it', () => {
    const step = nextStep(gptPolicy(), NOW);
    expect(step.kind).toBe('generate');
    if (step.kind !== 'generate') return;
    expect(step.status.generation).toMatchObject({ calls: 1, inFlightSince: new Date(NOW).toISOString() });
    expect(step.status.conditions?.[0]).toMatchObject({ type: 'Ready', status: 'False', reason: 'Generating' });
  });

  it('when a previous run never came back from the model, reports it instead of calling again', () => {
    const hash = intentHash(gptPolicy());
    const step = nextStep(gptPolicy({ generation: { intentHash: hash, calls: 1, transientFailures: 0, inFlightSince: '2026-11-25T11:59:00Z' } }), NOW);
    expect(step.kind).toBe('record');
    if (step.kind === 'record') expect(step.status).toMatchObject({ intentHash: hash, conditions: [{ reason: 'ModelCallInterrupted' }] });
  });

  it('during a backoff, waits', () => {
    const hash = intentHash(gptPolicy());
    expect(nextStep(gptPolicy({ generation: { intentHash: hash, calls: 0, transientFailures: 1, notBefore: '2026-11-25T12:00:10Z' } }), NOW).kind).toBe('wait');
  });

  it('counts a changed description, model or regenerate annotation as a new intent, and labels as nothing', () => {
    const base = gptPolicy();
    const relabelled = { ...base, metadata: { ...base.metadata, labels: { team: 'a' } } };
    expect(intentHash(relabelled)).toBe(intentHash(base));
    expect(intentHash({ ...base, spec: { ...base.spec, description: 'other intent' } })).not.toBe(intentHash(base));
    expect(intentHash({ ...base, spec: { ...base.spec, model: 'm2' } })).not.toBe(intentHash(base));
    expect(intentHash({ ...base, metadata: { ...base.metadata, annotations: { 'gptpolicy.dev/regenerate': '1' } } })).not.toBe(intentHash(base));
  });
});

describe('the answer pipeline, then decide', () => {
  const generation = { intentHash: 'h', calls: 1, transientFailures: 0, answeredAt: 'x' };
  const pipeline = (completion: unknown, checks: Checks = passing) => checkAnswer(completion, { owner: gptPolicy(), build, readAnswer, ...ctx(checks) });
  const decided = (completion: unknown, checks: Checks = passing, g = generation) => decide(gptPolicy(), g, pipeline(completion, checks) as Ending, NOW);

  it('turns an answer into a guard-railed policy owned by the GPTPolicy', () => {
    const result = pipeline(completionWith(denyProdAnswer()));
    expect(result.kind).toBe('passed');
    if (result.kind !== 'passed') return;
    const { spec, metadata } = result.policy;
    expect(spec).toMatchObject({ type: 'Validating', failurePolicy: 'Ignore', timeoutSeconds: 5 });
    expect(spec.namespaceSelector?.matchExpressions).toEqual([
      { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['test'] },
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['jspolicy', 'kube-system'] },
    ]);
    expect(metadata.ownerReferences).toEqual([{ apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'GPTPolicy', name: 'deny-prod', uid: 'uid-1', controller: true, blockOwnerDeletion: true }]);
  });

  it('writes the answered mark with the call\'s usage, before anything reads the answer', () => {
    const { status } = decide(gptPolicy(), { ...generation, answeredAt: undefined, inFlightSince: 'x' }, { kind: 'answered', tokens: { prompt: 10, completion: 5, total: 15 } }, NOW);
    expect(status.usage).toEqual({ modelCalls: 1, promptTokens: 10, completionTokens: 5, totalTokens: 15 });
    expect(status.generation).toMatchObject({ answeredAt: new Date(NOW).toISOString() });
    expect(status.generation?.inFlightSince).toBeUndefined();
    expect(status.conditions?.[0]).toMatchObject({ reason: 'Checking' });
  });

  it('backs off on a 429, honouring Retry-After, and gives the call back to the budget', () => {
    const decision = decide(gptPolicy(), generation, { kind: 'transient', reason: 'ModelRateLimited', message: '429', retryAfterSeconds: 120 }, NOW);
    expect(decision.requeue).toBe(true);
    expect(decision.status.generation).toMatchObject({ calls: 0, transientFailures: 1, notBefore: new Date(NOW + 120_000).toISOString() });
  });

  it('gives up after repeated transient failures', () => {
    const decision = decide(gptPolicy(), { ...generation, transientFailures: MAX_TRANSIENT_FAILURES - 1 }, { kind: 'transient', reason: 'ModelUnavailable', message: '503' }, NOW);
    expect(decision).toMatchObject({ requeue: false, status: { intentHash: 'h' } });
  });

  it('ends the intent on a fatal reply', () => {
    const decision = decide(gptPolicy(), generation, { kind: 'fatal', reason: 'ModelAuthFailed', message: '401' }, NOW);
    expect(decision).toMatchObject({ requeue: false, status: { intentHash: 'h', conditions: [{ reason: 'ModelAuthFailed' }] } });
  });

  it('sends lint findings back as the next turn while the budget lasts, then gives up with nothing applied', () => {
    const flawed: Checks = { lint: () => [{ rule: 'api-group-mismatch', severity: 'error', message: 'wrong group', hint: 'set apiGroups to [""]' }], runCases: () => [] };
    const first = decided(completionWith(denyProdAnswer()), flawed).status;
    expect(first.conditions?.[0]).toMatchObject({ reason: 'Correcting' });
    expect(first.intentHash).toBeUndefined();
    expect(first.generation?.turns?.[0]?.feedback).toContain('set apiGroups to [""]');
    expect(first.attempts).toEqual([expect.objectContaining({ call: 1, outcome: 'findings', errors: 1 })]);
    const last = decided(completionWith(denyProdAnswer()), flawed, { ...generation, calls: 3 }).status;
    expect(last).toMatchObject({ intentHash: 'h', conditions: [{ reason: 'AttemptsExhausted' }] });
  });

  it('sends failing test cases back, and runs no tests on code with lint errors', () => {
    let ran = false;
    const failing: Checks = { lint: () => [], runCases: () => ((ran = true), [{ name: 'prod pod in test is denied', problem: 'expected deny, got allow' }]) };
    const status = decided(completionWith(denyProdAnswer()), failing).status;
    expect(ran).toBe(true);
    expect(status.generation?.turns?.[0]?.feedback).toContain('expected deny, got allow');
    ran = false;
    const both: Checks = { lint: () => [{ rule: 'r', severity: 'error', message: 'm', hint: 'h' }], runCases: failing.runCases };
    expect(pipeline(completionWith(denyProdAnswer()), both)).toMatchObject({ kind: 'failed', stage: 'lint' });
    expect(ran).toBe(false);
  });

  it('refuses a Controller policy at validation and names the field in the next turn', () => {
    const answer = denyProdAnswer();
    const status = decided(completionWith({ ...answer, policy: { ...answer.policy, type: 'Controller' } })).status;
    expect(status.conditions?.[0]).toMatchObject({ reason: 'Correcting' });
    expect(status.generation?.turns?.[0]?.feedback).toContain('policy.type: expected one of "Validating", "Mutating"');
    expect(status.attempts?.[0]).toMatchObject({ outcome: 'malformed' });
  });

  it('reports an exception in any stage as an error of that stage, never a throw', () => {
    const throwing: Checks = { lint: () => [], runCases: () => { throw new RangeError('Maximum call stack size exceeded'); } };
    const result = pipeline(completionWith(denyProdAnswer()), throwing);
    expect(result).toMatchObject({ kind: 'error', stage: 'test' });
    const { status } = decide(gptPolicy(), generation, { kind: 'controller-error', where: 'test', error: 'RangeError: Maximum call stack size exceeded', callSpent: true }, NOW);
    expect(status).toMatchObject({ intentHash: 'h', conditions: [{ reason: 'ControllerError' }] });
    expect(status.conditions?.[0]?.message).toContain('controller error during test: RangeError');
    expect(status.generation?.answeredAt).toBeUndefined();
  });
});

describe('decide, once the policy was written', () => {
  const generation = { intentHash: 'h', calls: 1, transientFailures: 0, answeredAt: 'x' };
  const passed = () => {
    const result = checkAnswer(completionWith(denyProdAnswer()), { owner: gptPolicy(), build, readAnswer, ...ctx() });
    if (result.kind !== 'passed') throw new Error('expected a passing answer');
    return { passed: result, rollout: { stage: 'Dry' as const, specHash: 's' }, impact: undefined };
  };

  it('is Ready when the policy was written', () => {
    expect(decide(gptPolicy(), generation, { kind: 'applied', ...passed() }, NOW).status).toMatchObject({ intentHash: 'h', policyName: 'deny-prod.gptpolicy.dev', conditions: [{ status: 'True', reason: 'PolicyApplied' }] });
  });

  it('names a policy it does not own and leaves it alone', () => {
    const { status } = decide(gptPolicy(), generation, { kind: 'name-taken', ...passed() }, NOW);
    expect(status.policyName).toBeUndefined();
    expect(status.conditions?.[0]).toMatchObject({ reason: 'PolicyNameTaken' });
  });

  it('turns the first rejected write into one more correction round, carrying the API server reason', () => {
    const { status } = decide(gptPolicy(), generation, { kind: 'rejected', problem: 'Forbidden: denied', ...passed() }, NOW);
    expect(status.intentHash).toBeUndefined();
    expect(status.generation).toMatchObject({ platformRounds: 1, turns: [{ answer: passed().passed.answerText }] });
    expect(status.generation?.turns?.[0]?.feedback).toContain('Forbidden: denied');
  });

  it('ends the intent when the platform round was already spent', () => {
    const { status } = decide(gptPolicy(), { ...generation, platformRounds: 1 }, { kind: 'rejected', problem: 'Forbidden: denied', ...passed() }, NOW);
    expect(status).toMatchObject({ intentHash: 'h', conditions: [{ reason: 'PolicyRejected' }] });
  });
});

describe('generatedPolicyName', () => {
  it('has at least three segments and leaves room for the webhook suffix', () => {
    expect(generatedPolicyName('deny-prod')).toBe('deny-prod.gptpolicy.dev');
    const long = generatedPolicyName('a'.repeat(253));
    expect(long.length).toBeLessThanOrEqual(247);
    expect(long.split('.').length).toBeGreaterThanOrEqual(3);
    expect(generatedPolicyName('a'.repeat(253))).toBe(long);
  });
});

describe('parseConfig', () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name] ?? '';
  const where = { secretName: 'gptpolicy-openai', namespace: 'jspolicy' };

  it('needs the key from the Secret and says how to create it', () => {
    const result = parseConfig(env({ OPENAI_API_KEY: 'in-env-is-not-enough' }), undefined, where);
    expect(result).toMatchObject({ ok: false, reason: 'NoApiKey' });
    expect(!result.ok && result.message).toContain('kubectl -n jspolicy create secret generic gptpolicy-openai');
  });

  it('takes base URL and model from the Secret over the environment, and spec.model over both', () => {
    const result = parseConfig(env({ OPENAI_BASE_URL: 'http://env/v1', OPENAI_MODEL: 'env-model' }), { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http://secret/v1/' }, where);
    expect(result.ok && result.config.baseUrl).toBe('http://secret/v1');
    expect(result.ok && result.config.model.model).toBe('env-model');
    const withSpec = parseConfig(env({}), { OPENAI_API_KEY: 'k' }, { ...where, specModel: 'spec-model' });
    expect(withSpec.ok && withSpec.config.model.model).toBe('spec-model');
  });

  it.each([
    ['GPTPOLICY_MAX_TOKENS', 'lots'],
    ['GPTPOLICY_MAX_TOKENS_PARAM', 'max_output'],
    ['GPTPOLICY_TOOL_MODE', 'sometimes'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    const result = parseConfig(env({ [name]: value }), { OPENAI_API_KEY: 'k' }, where);
    expect(result).toMatchObject({ ok: false, reason: 'BadConfig' });
    expect(!result.ok && result.message).toContain(name);
  });
});
