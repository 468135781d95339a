import { describe, expect, it } from 'vitest';
import { mergeOnConflict } from '../../lib/controller/status-merge.ts';

const rollout = (specHash: string, stage: string) => ({ specHash, stage, since: '2026-01-01T00:00:00Z' });

describe('two writers of one GPTPolicy status', () => {
  it("the generation controller's outcome keeps the stage the bookkeeping controller moved meanwhile", () => {
    const base = { intentHash: 'i1', rollout: rollout('h1', 'Dry'), generation: { inFlightSince: 't' } };
    const desired = { ...base, generation: { answeredAt: 't2' }, conditions: [{ type: 'Ready', status: 'True' }] };
    const fresh = { ...base, rollout: rollout('h1', 'Warn') };
    expect(mergeOnConflict(base, desired, fresh)).toEqual({ intentHash: 'i1', rollout: rollout('h1', 'Warn'), generation: { answeredAt: 't2' }, conditions: [{ type: 'Ready', status: 'True' }] });
  });

  it("the bookkeeping controller's stage lands on the generation controller's in-flight mark", () => {
    const base = { intentHash: 'i1', rollout: rollout('h1', 'Dry') };
    const desired = { ...base, rollout: rollout('h1', 'Warn') };
    const fresh = { intentHash: undefined, rollout: rollout('h1', 'Dry'), generation: { inFlightSince: 't' } };
    expect(mergeOnConflict(base, desired, fresh)).toEqual({ intentHash: undefined, rollout: rollout('h1', 'Warn'), generation: { inFlightSince: 't' } });
  });

  it('a stage or violations change about a policy that has since been replaced is void', () => {
    const base = { rollout: rollout('h1', 'Dry'), violations: { count: 1 } };
    expect(mergeOnConflict(base, { ...base, rollout: rollout('h1', 'Warn') }, { rollout: rollout('h2', 'Dry') })).toBeUndefined();
    expect(mergeOnConflict(base, { ...base, violations: { count: 2 } }, { rollout: rollout('h2', 'Dry') })).toBeUndefined();
  });

  it('applying a new policy wins over the old one\'s stage, and a field the writer removed is removed', () => {
    const base = { rollout: rollout('h1', 'Dry'), violations: { count: 1 }, answer: 'a' };
    const desired = { rollout: rollout('h2', 'Dry'), answer: 'a' };
    const fresh = { rollout: rollout('h1', 'Warn'), violations: { count: 3 }, answer: 'a' };
    expect(mergeOnConflict(base, desired, fresh)).toEqual({ rollout: rollout('h2', 'Dry'), answer: 'a' });
  });

  it('a write that changes nothing the other writer changed is the same as writing it whole', () => {
    const base = { a: 1, b: { c: 2 } };
    const desired = { a: 2, b: { c: 2 } };
    expect(mergeOnConflict(base, desired, base)).toEqual(desired);
  });
});
