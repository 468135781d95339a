// A sample of the built-ins probe (scripts/probe-builtins.mjs), re-run on jsPolicy's V8 9.6: the
// data the linter relies on (lib/lint/unbounded-builtins.ts) still says what the engine does.
// CI time: ≤ 30 s (each hang costs the 200 ms timeout and the watchdog's 1.5 s).
import { describe, expect, it } from 'vitest';
import { UNBOUNDED_BUILTINS } from '../../lib/lint/unbounded-builtins.ts';
import { HUGE_ARRAY_LIKE, HUGE_STRING, MAX_ARRAY_LIKE, runProbeCase, SPARSE_BY_CONSTRUCTOR, type ProbeCase } from '../../tools/safety/builtins-probe.ts';

const listed = (call: string) => UNBOUNDED_BUILTINS.find((b) => b.call === call);

const SAMPLE: Array<{ case: ProbeCase; outcome: 'hang' | 'abort' | 'terminable' | 'fine' }> = [
  { case: { receiver: 'Array', method: 'includes', static: false, input: HUGE_ARRAY_LIKE, call: `Array.prototype.includes.call(${HUGE_ARRAY_LIKE}, 1)` }, outcome: 'hang' },
  { case: { receiver: 'Array', method: 'every', static: false, input: SPARSE_BY_CONSTRUCTOR, call: `Array.prototype.every.call(${SPARSE_BY_CONSTRUCTOR}, () => true)` }, outcome: 'hang' },
  { case: { receiver: 'Array', method: 'from', static: true, input: '{ length: 2 ** 31 }', call: 'Array.from({ length: 2 ** 31 })' }, outcome: 'hang' },
  { case: { receiver: 'String', method: 'split', static: false, input: HUGE_STRING, call: `${HUGE_STRING}.split('')` }, outcome: 'abort' },
  { case: { receiver: 'Array', method: 'sort', static: false, input: MAX_ARRAY_LIKE, call: `Array.prototype.sort.call(${MAX_ARRAY_LIKE})` }, outcome: 'abort' },
  // Controls: a callback is a point where termination stops the run; a RangeError ends it at once.
  { case: { receiver: 'Array', method: 'find', static: false, input: HUGE_ARRAY_LIKE, call: `Array.prototype.find.call(${HUGE_ARRAY_LIKE}, () => false)` }, outcome: 'terminable' },
  { case: { receiver: 'Array', method: 'slice', static: false, input: HUGE_ARRAY_LIKE, call: `Array.prototype.slice.call(${HUGE_ARRAY_LIKE}, 0)` }, outcome: 'fine' },
];

describe('the built-ins probe, a sample on V8 9.6', () => {
  it.each(SAMPLE.map((s) => ({ ...s, name: s.case.call })))('$name: $outcome', ({ case: c, outcome }) => {
    // An abort may take longer than the watchdog's 1.5 s to come on a loaded machine (a 256 MiB string first).
    const result = runProbeCase(c, 200, outcome === 'abort' ? 8000 : 1500);
    expect(result.outcome, result.detail).toBe(outcome);
    if (outcome === 'hang' || outcome === 'abort') expect(listed(c.call)).toMatchObject({ receiver: c.receiver, method: c.method, effect: outcome });
    else expect(listed(c.call)).toBeUndefined();
  }, 20_000);

  it('the data names every listed method once per input, with a known receiver', () => {
    const receivers = new Set(['Array', 'String', 'TypedArray', 'Object', 'JSON']);
    for (const b of UNBOUNDED_BUILTINS) expect(receivers.has(b.receiver), b.call).toBe(true);
    expect(new Set(UNBOUNDED_BUILTINS.map((b) => b.call)).size).toBe(UNBOUNDED_BUILTINS.length);
  });
});
