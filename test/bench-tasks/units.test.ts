// The bench's pure parts: task validation, the arithmetic, reading the status.
import { describe, expect, it } from 'vitest';
import { repairKey, retrievedSkills, type RunResult } from '../../tools/bench/run-task.ts';
import { recallAt, summarize, taskReport } from '../../tools/bench/stats.ts';
import { checkTask } from '../../tools/bench/tasks.ts';
import type { GPTPolicyStatus } from '../../lib/gptpolicy/types.ts';

const podCase = { name: 'p', request: { operation: 'CREATE', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' } } } };

describe('checkTask', () => {
  it('accepts a list of verdicts and keeps the first as expect.result', { timeout: 5_000 }, () => {
    const task = checkTask('t', { intent: 'x', tags: ['validating'], cases: [{ ...podCase, expect: { result: ['allow', 'unmatched'] } }] });
    expect(task.cases[0]).toMatchObject({ expect: { result: 'allow' }, accept: ['allow', 'unmatched'] });
    expect(task.expectedSkills).toEqual([]);
    expect(task.cluster).toEqual([]);
  });

  it.each([
    ['Bad_Id', { intent: 'x', tags: [], cases: [{ ...podCase, expect: { result: 'deny' } }] }, 'lower-case DNS label'],
    ['t', { intent: '', tags: [], cases: [{ ...podCase, expect: { result: 'deny' } }] }, 'intent'],
    ['t', { intent: 'x', tags: ['fast'], cases: [{ ...podCase, expect: { result: 'deny' } }] }, 'unknown tag fast'],
    ['t', { intent: 'x', tags: [], cases: [{ ...podCase, expect: { result: ['deny', 'maybe'] } }] }, 'expect.result'],
    ['t', { intent: 'x', tags: [], cases: [] }, 'non-empty list'],
    ['t', { intent: 'x', tags: [], cases: [{ ...podCase, expect: { result: 'deny' } }], extra: 1 }, 'unknown field extra'],
    ['t', { intent: 'x', tags: [], cluster: [{ kind: 'Namespace' }], cases: [{ ...podCase, expect: { result: 'deny' } }] }, 'cluster[0]'],
  ])('refuses %s %j', { timeout: 5_000 }, (id, doc, message) => {
    expect(() => checkTask(id, doc)).toThrow(message);
  });

  it('refuses a reference that is not a model answer', { timeout: 5_000 }, () => {
    expect(() => checkTask('t', { intent: 'x', tags: [], cases: [{ ...podCase, expect: { result: 'deny' } }] }, { policy: {} })).toThrow('reference.json');
  });
});

const run = (pass: boolean, attempts: number, extra: Partial<RunResult> = {}): RunResult => ({
  pass,
  attempts,
  tokens: attempts * 100,
  repairs: [],
  cases: { passed: 0, total: 0, failed: [] },
  ms: 0,
  ...extra,
});

describe('stats', () => {
  it('recall@k is the share of expected skills in the top k, n/a without expectations or a list', { timeout: 5_000 }, () => {
    expect(recallAt(['a', 'b'], ['a', 'x', 'b'], 2)).toBe(0.5);
    expect(recallAt(['a', 'b'], ['a', 'x', 'b'], 3)).toBe(1);
    expect(recallAt([], ['a'], 5)).toBeNull();
    expect(recallAt(['a'], undefined, 5)).toBeNull();
  });

  it('Pass^k needs every run; the pass rate counts runs; repairs are counted per attempt', { timeout: 5_000 }, () => {
    const a = taskReport({ id: 'a', tags: ['validating'], expectedSkills: ['s'] }, [run(true, 1, { retrieved: ['s'] }), run(false, 3, { retrieved: ['x'], repairs: ['r1', 'r1', 'r2'] })], 5);
    const b = taskReport({ id: 'b', tags: ['mutating'], expectedSkills: [] }, [run(true, 2, { repairs: ['r2'] }), run(true, 1)], 5);
    expect(a).toMatchObject({ passed: 1, passAll: false, meanAttempts: 2, recall: 0.5 });
    expect(b).toMatchObject({ passed: 2, passAll: true, meanAttempts: 1.5, recall: null });
    const s = summarize([a, b], 5);
    expect(s).toMatchObject({ tasks: 2, runs: 2, passRate: 0.75, passHatK: 0.5, meanAttempts: 1.75, meanTokens: 175, totalTokens: 700, recallAtK: 0.5 });
    expect(s.topRepairs).toEqual([
      { finding: 'r1', count: 2 },
      { finding: 'r2', count: 2 },
    ]);
    expect(s.byTag).toEqual({ mutating: { tasks: 1, passRate: 1 }, validating: { tasks: 1, passRate: 0.5 } });
  });
});

describe('reading the status', () => {
  it('takes the first error rule of a findings attempt, and names the other outcomes', { timeout: 5_000 }, () => {
    const a = (outcome: string, summary = '') => ({ call: 1, outcome, errors: 1, testFailures: 0, summary });
    expect(repairKey(a('findings', '2 lint errors, 0 failing test cases; api-group-too-broad: spec.apiGroups "*" …'))).toBe('api-group-too-broad');
    expect(repairKey(a('tests-failed', '0 lint errors, 1 failing test cases; x: y'))).toBe('own-tests-failed');
    expect(repairKey(a('malformed'))).toBe('malformed-answer');
    expect(repairKey(a('rejected'))).toBe('api-server-rejected');
    expect(repairKey(a('applied'))).toBeUndefined();
  });

  it('finds retrieved skills in the shapes a status may take, or says there are none', { timeout: 5_000 }, () => {
    const s = (extra: Record<string, unknown>) => extra as unknown as GPTPolicyStatus;
    expect(retrievedSkills(s({ skills: { retrieved: ['a', { name: 'b' }] } }))).toEqual(['a', 'b']);
    expect(retrievedSkills(s({ retrieval: { skills: [{ name: 'c', score: 1 }] } }))).toEqual(['c']);
    expect(retrievedSkills(s({ retrievedSkills: ['d'] }))).toEqual(['d']);
    expect(retrievedSkills(s({ policyName: 'x' }))).toBeUndefined();
    expect(retrievedSkills(undefined)).toBeUndefined();
  });
});
