import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/controller/config.ts';
import { intentHash } from '../../lib/controller/intent.ts';
import { generatedPolicyName } from '../../lib/controller/naming.ts';
import { nextStep } from '../../lib/controller/next-step.ts';
import { outcomeOfReply, statusAfterApply, MAX_TRANSIENT_FAILURES } from '../../lib/controller/outcome.ts';
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
const ctx = (checks: Checks = passing) => ({ build, checks: () => ({ ...checks, formatFindings: (f: Finding[]) => f.map((x) => `${x.rule}: ${x.hint}`).join('\n') }), nowMs: NOW });

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

describe('outcomeOfReply', () => {
  const generation = { intentHash: 'h', calls: 1, transientFailures: 0, inFlightSince: 'x' };

  it('turns an answer into a guard-railed policy owned by the GPTPolicy', () => {
    const outcome = outcomeOfReply(gptPolicy(), generation, { kind: 'completion', completion: completionWith(denyProdAnswer()) }, ctx());
    expect(outcome.kind).toBe('apply');
    if (outcome.kind !== 'apply') return;
    const { spec, metadata } = outcome.policy;
    expect(spec).toMatchObject({ type: 'Validating', failurePolicy: 'Ignore', timeoutSeconds: 5 });
    expect(spec.namespaceSelector?.matchExpressions).toEqual([
      { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['test'] },
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['jspolicy', 'kube-system'] },
    ]);
    expect(metadata.ownerReferences).toEqual([{ apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'GPTPolicy', name: 'deny-prod', uid: 'uid-1', controller: true, blockOwnerDeletion: true }]);
    expect(outcome.status.usage).toEqual({ modelCalls: 1, promptTokens: 10, completionTokens: 5, totalTokens: 15 });
    expect(outcome.status.generation?.inFlightSince).toBeUndefined();
  });

  it('backs off on a 429, honouring Retry-After, and gives the call back to the budget', () => {
    const outcome = outcomeOfReply(gptPolicy(), generation, { kind: 'transient', reason: 'ModelRateLimited', message: '429', retryAfterSeconds: 120 }, ctx());
    expect(outcome).toMatchObject({ kind: 'status', requeue: true });
    if (outcome.kind === 'status') expect(outcome.status.generation).toMatchObject({ calls: 0, transientFailures: 1, notBefore: new Date(NOW + 120_000).toISOString() });
  });

  it('gives up after repeated transient failures', () => {
    const outcome = outcomeOfReply(gptPolicy(), { ...generation, transientFailures: MAX_TRANSIENT_FAILURES - 1 }, { kind: 'transient', reason: 'ModelUnavailable', message: '503' }, ctx());
    expect(outcome).toMatchObject({ kind: 'status', requeue: false, status: { intentHash: 'h' } });
  });

  it('ends the intent on a fatal reply', () => {
    const outcome = outcomeOfReply(gptPolicy(), generation, { kind: 'fatal', reason: 'ModelAuthFailed', message: '401' }, ctx());
    expect(outcome).toMatchObject({ kind: 'status', requeue: false, status: { intentHash: 'h', conditions: [{ reason: 'ModelAuthFailed' }] } });
  });

  it('sends lint findings back as the next turn while the budget lasts, then gives up with nothing applied', () => {
    const flawed: Checks = { lint: () => [{ rule: 'api-group-mismatch', severity: 'error', message: 'wrong group', hint: 'set apiGroups to [""]' }], runCases: () => [] };
    const first = outcomeOfReply(gptPolicy(), generation, { kind: 'completion', completion: completionWith(denyProdAnswer()) }, ctx(flawed));
    expect(first).toMatchObject({ kind: 'status', requeue: false, status: { conditions: [{ reason: 'Correcting' }] } });
    if (first.kind !== 'status') return;
    expect(first.status.intentHash).toBeUndefined();
    expect(first.status.generation?.turns?.[0]?.feedback).toContain('set apiGroups to [""]');
    expect(first.status.attempts).toEqual([expect.objectContaining({ call: 1, outcome: 'findings', errors: 1 })]);
    const last = outcomeOfReply(gptPolicy(), { ...generation, calls: 3 }, { kind: 'completion', completion: completionWith(denyProdAnswer()) }, ctx(flawed));
    expect(last).toMatchObject({ kind: 'status', status: { intentHash: 'h', conditions: [{ reason: 'AttemptsExhausted' }] } });
  });

  it('sends failing test cases back, and runs no tests on code with lint errors', () => {
    let ran = false;
    const failing: Checks = { lint: () => [], runCases: () => ((ran = true), [{ name: 'prod pod in test is denied', problem: 'expected deny, got allow' }]) };
    const outcome = outcomeOfReply(gptPolicy(), generation, { kind: 'completion', completion: completionWith(denyProdAnswer()) }, ctx(failing));
    expect(ran).toBe(true);
    if (outcome.kind === 'status') expect(outcome.status.generation?.turns?.[0]?.feedback).toContain('expected deny, got allow');
  });

  it('refuses a Controller policy and says why in the next turn', () => {
    const answer = denyProdAnswer();
    const outcome = outcomeOfReply(gptPolicy(), generation, { kind: 'completion', completion: completionWith({ ...answer, policy: { ...answer.policy, type: 'Controller' } }) }, ctx());
    expect(outcome).toMatchObject({ kind: 'status', status: { conditions: [{ reason: 'Correcting' }] } });
    if (outcome.kind === 'status') expect(outcome.status.generation?.turns?.[0]?.feedback).toContain('policy.type must be "Validating" or "Mutating"');
  });
});

describe('statusAfterApply', () => {
  const pending = { policyName: 'deny-prod.gptpolicy.dev' };
  const generation = { intentHash: 'h', calls: 1, transientFailures: 0 };

  it('is Ready when the policy was written', () => {
    expect(statusAfterApply(gptPolicy(), generation, pending, { ok: true }, '{}', NOW)).toMatchObject({ intentHash: 'h', policyName: 'deny-prod.gptpolicy.dev', conditions: [{ status: 'True', reason: 'PolicyApplied' }] });
  });

  it('names a policy it does not own and leaves it alone', () => {
    const status = statusAfterApply(gptPolicy(), generation, pending, 'not-ours', '{}', NOW);
    expect(status.policyName).toBeUndefined();
    expect(status.conditions?.[0]).toMatchObject({ reason: 'PolicyNameTaken' });
  });

  it('turns the first rejected write into one more correction round, carrying the API server reason', () => {
    const status = statusAfterApply(gptPolicy(), generation, pending, { ok: false, reason: 'Forbidden', message: 'denied' }, '{"plan":1}', NOW);
    expect(status.intentHash).toBeUndefined();
    expect(status.generation).toMatchObject({ platformRounds: 1, turns: [{ answer: '{"plan":1}' }] });
    expect(status.generation?.turns?.[0]?.feedback).toContain('Forbidden: denied');
  });

  it('ends the intent when the platform round was already spent', () => {
    const status = statusAfterApply(gptPolicy(), { ...generation, platformRounds: 1 }, pending, { ok: false, reason: 'Forbidden', message: 'denied' }, '{}', NOW);
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
