// The bench task set itself: every task loads, spans what issue 6 asks for, and its reference answer
// (the scripted model's "right" answer) passes the controller's own checks and every held-back case.
import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES } from '../../lib/k8s/builtin-resources.ts';
import { crdToServedResources } from '../../lib/k8s/crd-resources.ts';
import { checks } from '../../lib/toolkit/index.ts';
import { policyForEvaluation, policyFromAnswer, runHeldBack } from '../../tools/bench/evaluate.ts';
import { loadTasks } from '../../tools/bench/tasks.ts';
import { repoFile } from '../../tools/local/paths.ts';

const tasks = loadTasks(repoFile('bench-tasks'));

describe('the task set', () => {
  it('has at least 50 tasks, each with a reference answer', { timeout: 10_000 }, () => {
    expect(tasks.length).toBeGreaterThanOrEqual(50);
    expect(tasks.filter((t) => !t.reference).map((t) => t.id)).toEqual([]);
  });

  it('spans validating and mutating, core and CRDs, namespaced and cluster, single and multi resource, reads-state and DELETE', { timeout: 10_000 }, () => {
    const count = (tag: string): number => tasks.filter((t) => t.tags.includes(tag)).length;
    for (const tag of ['validating', 'mutating', 'core', 'crd', 'namespaced', 'cluster', 'single-resource', 'multi-resource', 'reads-state', 'delete']) {
      expect(count(tag), tag).toBeGreaterThanOrEqual(3);
    }
    expect(tasks.some((t) => t.cluster.some((o) => o.kind === 'CustomResourceDefinition' && (o.spec as { group?: string }).group === 'iam.cnrm.cloud.google.com'))).toBe(true);
  });

  it('holds back positive, negative, scope and DELETE cases', { timeout: 10_000 }, () => {
    const verdicts = tasks.flatMap((t) => t.cases.map((c) => c.accept.join('|')));
    expect(verdicts).toContain('deny');
    expect(verdicts).toContain('allow');
    expect(verdicts).toContain('unmatched');
    expect(verdicts).toContain('allow|unmatched');
    expect(tasks.filter((t) => t.cases.some((c) => c.request.operation === 'DELETE')).length).toBeGreaterThanOrEqual(20);
    // Every task has a case that must be let through and one that must not.
    for (const t of tasks) {
      expect(t.cases.some((c) => c.accept.includes('allow') || c.accept.includes('unmatched')), t.id).toBe(true);
      expect(t.cases.some((c) => c.expect.result === 'deny' || c.expect.object !== undefined), t.id).toBe(true);
    }
  });
});

describe('every reference answer', () => {
  it.each(tasks.map((t) => [t.id, t] as const))('%s: passes the controller checks and its held-back cases', { timeout: 20_000 }, (_id, task) => {
    const reference = task.reference!;
    const policy = policyFromAnswer(task, reference);
    const resources = [...BUILTIN_RESOURCES, ...task.cluster.flatMap(crdToServedResources)];
    const toolkit = checks(resources);
    const errors = toolkit.lint(policy, reference, task.intent).filter((f) => f.severity === 'error');
    expect(errors.map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
    expect(toolkit.runCases(policy, reference)).toEqual([]);
    const failed = runHeldBack(policyForEvaluation(policy), task.cases, task.cluster).filter((r) => !r.passed);
    expect(failed.map((r) => `${r.name}: ${r.failures.join('; ')}`)).toEqual([]);
  });
});

describe('the held-back cases are not vacuous', () => {
  it.each([
    ['allows everything', ''],
    ['denies everything', "deny('no');"],
  ])('a policy that %s fails every task', { timeout: 120_000 }, (_what, javascript) => {
    const passing = tasks.filter((task) => {
      const reference = task.reference!;
      const policy = policyFromAnswer(task, { ...reference, policy: { ...reference.policy, javascript } });
      return runHeldBack(policyForEvaluation(policy), task.cases, task.cluster).every((r) => r.passed);
    });
    expect(passing.map((t) => t.id)).toEqual([]);
  });
});
