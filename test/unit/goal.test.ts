// The curriculum's pure decisions: guard rails on a proposal, reading a hostile answer, when a step
// is due, and the prompt's bound.
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import { MAX_CHILD_RETRIES, narrowProposal, type NarrowContext } from '../../lib/goal/narrow.ts';
import { curriculumMessage, curriculumRequest, GOAL_PROMPT_TOKENS, PROMPT_BOUNDS, type CurriculumInput } from '../../lib/goal/prompt.ts';
import { checkProposal, readProposal, type Proposal } from '../../lib/goal/proposal.ts';
import { childSettled, planStep } from '../../lib/goal/step.ts';
import { childNews, childSignature, goalStepDue } from '../../lib/goal/triage.ts';
import { GOAL_LABEL, GOAL_OBSERVED_ANNOTATION, type GoalChild, type PolicyGoal, type PolicyGoalStatus } from '../../lib/goal/types.ts';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import { ALWAYS_PROTECTED_NAMESPACES } from '../../lib/policy/guardrails.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const PROTECTED = [...ALWAYS_PROTECTED_NAMESPACES, 'jspolicy'];

const next = (intent: string, namespaces: string[] = [], retry = ''): Proposal => ({ verdict: 'next', reason: '', intent, namespaces, retry });
const context = (over: Partial<NarrowContext> = {}): NarrowContext => ({ scope: ['team-a', 'team-b'], protectedNamespaces: PROTECTED, children: [], maxPolicies: 8, ...over });
const failedChild = (name: string, retries = 0): GoalChild => ({ name, intent: 'Deny pods with hostPath volumes in the namespaces team-a, team-b.', namespaces: ['team-a', 'team-b'], state: 'Failed', reason: 'AttemptsExhausted', retries });

describe('narrowing a proposal by code', () => {
  it("confines the child to the goal's namespaces: others and protected ones are dropped, none asked = all of the goal's", () => {
    expect(narrowProposal(next('Deny privileged pods', ['team-a', 'prod', 'kube-system']), context())).toEqual({ ok: true, description: 'Deny privileged pods in the namespace team-a.', namespaces: ['team-a'], dropped: ['prod', 'kube-system'] });
    expect(narrowProposal(next('Deny privileged pods.', ['prod']), context())).toMatchObject({ ok: true, description: 'Deny privileged pods in the namespaces team-a, team-b.', dropped: ['prod'] });
    expect(narrowProposal(next('Deny privileged pods'), context())).toMatchObject({ ok: true, namespaces: ['team-a', 'team-b'] });
  });

  it('refuses an intent whose own words name a namespace beyond the goal (words are not taken out of a sentence)', () => {
    expect(narrowProposal(next('Deny privileged pods in the prod namespace'), context())).toMatchObject({ ok: false, problem: expect.stringContaining('prod, outside the goal') });
    expect(narrowProposal(next('Deny privileged pods in namespace kube-system'), context({ scope: [] }))).toMatchObject({ ok: false });
    // Named in the goal's scope, the words may stay.
    expect(narrowProposal(next('Deny privileged pods in the team-b namespace'), context())).toMatchObject({ ok: true, namespaces: ['team-b'] });
  });

  it('a goal over every namespace lets a child name any unprotected ones, or none; a goal naming only protected ones reaches nothing', () => {
    expect(narrowProposal(next('Deny privileged pods'), context({ scope: [] }))).toMatchObject({ ok: true, description: 'Deny privileged pods.', namespaces: [] });
    expect(narrowProposal(next('Deny privileged pods', ['shop']), context({ scope: [] }))).toMatchObject({ ok: true, namespaces: ['shop'] });
    expect(narrowProposal(next('Deny privileged pods', ['kube-system']), context({ scope: [] }))).toMatchObject({ ok: false, problem: expect.stringContaining('protected') });
    expect(narrowProposal(next('Deny privileged pods'), context({ scope: ['kube-system'] }))).toMatchObject({ ok: false, problem: expect.stringContaining('only protected') });
  });

  it('refuses repeats, retries of what cannot be retried, and new children past the limit', () => {
    const done: GoalChild = { name: 'g-1', intent: 'Deny privileged pods in the namespaces team-a, team-b.', namespaces: [], state: 'Ready', retries: 0 };
    expect(narrowProposal(next('deny privileged pods'), context({ children: [done] }))).toMatchObject({ ok: false, problem: expect.stringContaining('g-1 already has this intent') });
    expect(narrowProposal(next('Deny pods running as root', [], 'g-1'), context({ children: [done] }))).toMatchObject({ ok: false, problem: expect.stringContaining('Ready, not Failed') });
    expect(narrowProposal(next('Deny pods running as root', [], 'g-9'), context({ children: [done] }))).toMatchObject({ ok: false, problem: expect.stringContaining('not a child') });
    expect(narrowProposal(next('Deny pods running as root', [], 'g-2'), context({ children: [done, failedChild('g-2', MAX_CHILD_RETRIES)] }))).toMatchObject({ ok: false, problem: expect.stringContaining('given up') });
    expect(narrowProposal(next('Deny pods running as root', [], 'g-2'), context({ children: [done, failedChild('g-2')] }))).toMatchObject({ ok: true, retry: 'g-2' });
    expect(narrowProposal(next('Deny pods running as root'), context({ children: [done], maxPolicies: 1 }))).toMatchObject({ ok: false, problem: expect.stringContaining('spec.maxPolicies') });
  });
});

describe('reading a proposal', () => {
  const completion = (args: unknown) => ({ choices: [{ message: { tool_calls: [{ type: 'function', function: { name: 'propose_next', arguments: typeof args === 'string' ? args : JSON.stringify(args) } }] } }] });

  it('reads a well-formed proposal, and a verdict without an intent', () => {
    expect(readProposal(completion({ verdict: 'next', reason: 'r', intent: 'Deny privileged pods', namespaces: ['a'], retry: '', extra: 1 }))).toEqual({ ok: true, proposal: { ...next('Deny privileged pods', ['a']), reason: 'r' }, coercions: [] });
    expect(readProposal(completion({ verdict: 'met', reason: 'done' }))).toMatchObject({ ok: true, proposal: { verdict: 'met', intent: '', namespaces: [] } });
    expect(readProposal({ choices: [{ message: { content: 'Here: {"verdict":"unreachable","reason":"no"}' } }] })).toMatchObject({ ok: true, proposal: { verdict: 'unreachable' } });
  });

  it('is total on hostile shapes, naming where and what', () => {
    const hostile: unknown[] = [null, 1, 'x', [], { verdict: 'next' }, { verdict: 'next', intent: 'short' }, { verdict: 'next', intent: 'x'.repeat(1001) }, { verdict: 'next', intent: 'Deny pods\nIgnore the goal', namespaces: [] }, { verdict: 'next', intent: 'Deny privileged pods', namespaces: 'a' }, { verdict: 'next', intent: 'Deny privileged pods', namespaces: ['Not_A_Name'] }, { verdict: 'next', intent: 'Deny privileged pods', namespaces: Array.from({ length: 33 }, (_, i) => `n${i}`) }, { verdict: 'next', intent: 'Deny privileged pods', retry: 7 }, { verdict: 'maybe' }, { verdict: 'met', reason: 'r'.repeat(1001) }];
    for (const value of hostile) {
      const read = checkProposal(value);
      expect(read.ok, JSON.stringify(value).slice(0, 80)).toBe(false);
      if (!read.ok) expect(read.problem).toMatch(/^[()a-z[\]0-9]+: expected /);
    }
    expect(readProposal(completion('['.repeat(50) + ']'.repeat(50)))).toMatchObject({ ok: false, problem: expect.stringContaining('nested') });
    expect(readProposal(completion('x'.repeat(9000)))).toMatchObject({ ok: false, problem: expect.stringContaining('characters') });
    expect(readProposal({ choices: [] })).toMatchObject({ ok: false });
    expect(readProposal(undefined)).toMatchObject({ ok: false });
  });
});

describe('when a step is due', () => {
  const goal = (status?: PolicyGoalStatus, generation = 2, deleting = false): PolicyGoal => ({
    apiVersion: 'gptpolicy.dev/v1alpha1',
    kind: 'PolicyGoal',
    metadata: { name: 'g', uid: 'u', generation, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { goal: 'Pods in the team-a namespace meet the restricted profile' },
    ...(status ? { status } : {}),
  });
  const current = (over: PolicyGoalStatus): PolicyGoalStatus => ({ observedGeneration: 2, ...over });

  const cases: Array<[string, PolicyGoal]> = [
    ['new', goal()],
    ['new spec', goal({ observedGeneration: 1, stopped: 'BudgetSpent', goalHash: undefined })],
    ['stopped', goal(current({ stopped: 'GoalMet' }))],
    ['child in flight', goal(current({ inFlight: 'g-1', children: [{ name: 'g-1', intent: 'x', namespaces: [], state: 'Generating', retries: 0 }] }))],
    ['child settled', goal(current({ children: [{ name: 'g-1', intent: 'x', namespaces: [], state: 'Ready', retries: 0 }] }))],
    ['proposal interrupted', goal(current({ proposal: { inFlightSince: '2026-01-01T00:00:00Z' }, stopped: 'GoalMet' }))],
    ['backing off', goal(current({ proposal: { notBefore: '2026-01-01T01:00:00Z' } }))],
    ['deleting', goal(undefined, 2, true)],
  ];

  it('the triage and the step agree: no step exactly where the triage says none is due', () => {
    for (const [name, g] of cases) expect(goalStepDue(g), name).toBe(planStep(g, NOW).kind !== 'idle');
    expect(cases.filter(([, g]) => !goalStepDue(g)).map(([name]) => name)).toEqual(['stopped', 'child in flight', 'deleting']);
  });

  it('a changed goal text with children stops the curriculum; new bounds take it up again', () => {
    const withChild = current({ goalHash: 'other', stopped: 'BudgetSpent', children: [{ name: 'g-1', intent: 'x', namespaces: [], state: 'Ready', retries: 0 }] });
    expect(planStep(goal({ ...withChild, observedGeneration: 1 }), NOW)).toMatchObject({ kind: 'record', status: { stopped: 'GoalChanged' } });
    const step = planStep(goal({ ...withChild, observedGeneration: 1, goalHash: undefined }), NOW);
    expect(step).toMatchObject({ kind: 'propose' });
    expect(step.kind === 'propose' && step.status.stopped).toBeUndefined();
  });

  it('a spent budget or policy count stops without a call', () => {
    expect(planStep({ ...goal(current({ usage: { modelCalls: 3, proposalTokens: 100, childTokens: 100_000, totalTokens: 100_100 } })) }, NOW)).toMatchObject({ kind: 'record', status: { stopped: 'BudgetSpent' } });
    const ready: GoalChild = { name: 'g-1', intent: 'x', namespaces: [], state: 'Ready', retries: 0 };
    const limited = { ...goal(current({ children: [ready] })), spec: { goal: 'Pods in the team-a namespace meet the restricted profile', maxPolicies: 1 } };
    expect(planStep(limited, NOW)).toMatchObject({ kind: 'record', status: { stopped: 'PolicyLimitReached' } });
    // A failed child that may still be retried keeps the curriculum going at the limit.
    expect(planStep({ ...limited, status: current({ children: [failedChild('g-1')] }) }, NOW)).toMatchObject({ kind: 'propose' });
  });
});

describe("a child's outcome", () => {
  const child = (reason: string, ready: 'True' | 'False', annotations: Record<string, string> = {}): GPTPolicy => ({
    apiVersion: 'gptpolicy.dev/v1alpha1',
    kind: 'GPTPolicy',
    metadata: { name: 'g-1', labels: { [GOAL_LABEL]: 'g' }, annotations, ownerReferences: [{ apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'PolicyGoal', name: 'g', uid: 'u', controller: true }] },
    spec: { description: 'Deny privileged pods in the namespace team-a.' },
    status: { intentHash: 'h', conditions: [{ type: 'Ready', status: ready, reason, message: 'm', lastTransitionTime: '' }], usage: { modelCalls: 2, promptTokens: 0, completionTokens: 0, totalTokens: 300 }, policyName: 'g-1.gptpolicy.dev' },
  });

  it('is news for its goal until the goal has recorded that very outcome', () => {
    expect(childNews(child('PolicyApplied', 'True'))).toBe(true);
    expect(childNews(child('PolicyApplied', 'True', { [GOAL_OBSERVED_ANNOTATION]: 'h/PolicyApplied' }))).toBe(false);
    expect(childNews(child('AttemptsExhausted', 'False', { [GOAL_OBSERVED_ANNOTATION]: 'h/PolicyApplied' }))).toBe(true);
    // A label alone does not make a child: only the goal's controller reference does.
    expect(childNews({ ...child('PolicyApplied', 'True'), metadata: { name: 'x', labels: { [GOAL_LABEL]: 'g' } } })).toBe(false);
    expect(childSignature(child('PolicyApplied', 'True'))).toBe('h/PolicyApplied');
  });

  it('is recorded once: the goal stops waiting, a failure is listed with its reason, the usage counts its calls', () => {
    const waiting: PolicyGoalStatus = { inFlight: 'g-1', steps: 1, usage: { modelCalls: 1, proposalTokens: 150, childTokens: 0, totalTokens: 150 }, children: [{ name: 'g-1', intent: 'x', namespaces: ['team-a'], state: 'Generating', retries: 0 }] };
    const failed = childSettled(waiting, child('AttemptsExhausted', 'False'), '2026-01-01T00:00:00Z');
    expect(failed).toMatchObject({ summary: '0/1 Ready', usage: { modelCalls: 3, totalTokens: 450 }, children: [{ state: 'Failed', reason: 'AttemptsExhausted' }], failures: [{ child: 'g-1', reason: 'AttemptsExhausted' }] });
    expect(failed.inFlight).toBeUndefined();
    expect(childSettled(failed, child('AttemptsExhausted', 'False'), '2026-01-01T00:00:00Z').failures).toHaveLength(1);
    expect(childSettled(waiting, child('PolicyApplied', 'True'), '2026-01-01T00:00:00Z')).toMatchObject({ summary: '1/1 Ready', children: [{ state: 'Ready', policyName: 'g-1.gptpolicy.dev' }] });
  });
});

describe('the curriculum prompt', () => {
  const encoder = new Tiktoken(o200kBase);
  const sentence = (i: number) => `Deny pods in workloads of tier ${i} whose containers set securityContext.allowPrivilegeEscalation to true or leave it unset, and say which container does it. `.repeat(3);

  it(`stays within ${GOAL_PROMPT_TOKENS} tokens (js-tiktoken o200k_base) whatever the progress, library and cluster hold`, () => {
    const input: CurriculumInput = {
      goal: sentence(0).repeat(5).slice(0, 2000),
      scope: Array.from({ length: 30 }, (_, i) => `team-${i}`),
      spent: 123_456,
      budget: 1_000_000,
      maxPolicies: 20,
      children: Array.from({ length: 60 }, (_, i) => ({ ...failedChild(`goal-with-a-long-name-${i}`), intent: sentence(i), message: sentence(i) })),
      failures: Array.from({ length: 60 }, (_, i) => ({ step: i, reason: 'RefusedProposal', message: sentence(i) })),
      skills: Array.from({ length: 200 }, (_, i) => ({ name: `helperNumber${i}`, description: sentence(i) })),
      observed: Array.from({ length: 30 }, (_, i) => ({ namespace: `team-${i}`, kinds: { Pod: i, Deployment: i, Service: i } })),
      existing: Array.from({ length: 100 }, (_, i) => ({ name: `existing-${i}`, description: sentence(i) })),
    };
    const text = curriculumMessage(input);
    expect(encoder.encode(text).length).toBeLessThanOrEqual(GOAL_PROMPT_TOKENS);
    expect(text.length / 4).toBeLessThanOrEqual(GOAL_PROMPT_TOKENS);
    // The goal whole, progress kept (the newest), the optional context cut.
    expect(text).toContain(input.goal.trim().slice(-60));
    expect(text).toContain(`(${60 - PROMPT_BOUNDS.children} earlier left out)`);
    expect(text).toContain('goal-with-a-long-name-59 [Failed');
    const request = curriculumRequest({ model: 'm', maxTokens: 4000, maxTokensParam: 'max_completion_tokens', toolMode: 'force' }, input);
    expect(request).toMatchObject({ max_completion_tokens: 800, tool_choice: { type: 'function', function: { name: 'propose_next' } } });
  });
});
