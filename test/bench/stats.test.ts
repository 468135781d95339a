// The benchmark's pure helpers only: no timing is asserted anywhere.
import { describe, expect, it } from 'vitest';
import { formatRatio, formatValue, median, p95, percentile, ratio, significant, summarize } from '../../bench/measure.ts';
import { figure } from '../../bench/report.ts';
import { renderTable } from '../../bench/table.ts';

describe('median', () => {
  it('is the middle sample of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
  });
  it('is the mean of the two middle samples of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('ignores non-finite samples and is NaN without samples', () => {
    expect(median([NaN, 2, Infinity, 4])).toBe(3);
    expect(median([])).toBeNaN();
  });
  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('p95 (nearest rank)', () => {
  it('of 1..100 is 95, of 1..20 is 19, of 1..200 is 190', () => {
    const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(p95(range(100))).toBe(95);
    expect(p95(range(20))).toBe(19);
    expect(p95(range(200))).toBe(190);
  });
  it('is always one of the samples', () => {
    expect(p95([10, 20, 30])).toBe(30);
    expect(p95([7])).toBe(7);
  });
  it('is NaN without samples', () => {
    expect(p95([])).toBeNaN();
  });
  it('percentile rejects q outside (0, 1]', () => {
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
    expect(percentile([3, 1, 2], 1)).toBe(3);
  });
});

describe('summarize', () => {
  it('gives n, median, p95, min, max and mean', () => {
    expect(summarize([4, 2, 6, 8])).toEqual({ n: 4, median: 5, p95: 8, min: 2, max: 8, mean: 5 });
  });
});

describe('ratio', () => {
  it('is ours / reference', () => {
    expect(ratio(3, 1.5)).toBe(2);
  });
  it('is null when a side is missing, the reference is 0 or a value is not finite', () => {
    expect(ratio(null, 1)).toBeNull();
    expect(ratio(1, undefined)).toBeNull();
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(NaN, 1)).toBeNull();
    expect(ratio(1, Infinity)).toBeNull();
  });
});

describe('formatRatio', () => {
  it('keeps about three significant digits', () => {
    expect(formatRatio(1.2345)).toBe('1.23×');
    expect(formatRatio(12.345)).toBe('12.3×');
    expect(formatRatio(123.45)).toBe('123×');
    expect(formatRatio(0.05)).toBe('0.05×');
    expect(formatRatio(0.004)).toBe('0.004×');
    expect(formatRatio(0)).toBe('0×');
  });
  it('prints a dash when there is no ratio', () => {
    expect(formatRatio(null)).toBe('—');
    expect(formatRatio(undefined)).toBe('—');
    expect(formatRatio(NaN)).toBe('—');
  });
});

describe('formatValue', () => {
  it('prints ms with three significant digits and counts as integers', () => {
    expect(formatValue(2.34567, 'ms')).toBe('2.35 ms');
    expect(formatValue(0.0123456, 'ms')).toBe('0.0123 ms');
    expect(formatValue(123.456, 'ms')).toBe('123 ms');
    expect(formatValue(0, 'calls')).toBe('0 calls');
    expect(formatValue(1108, 'tokens')).toBe('1108 tokens');
  });
  it('adds KiB to byte counts from 1 KiB', () => {
    expect(formatValue(512, 'bytes')).toBe('512 B');
    expect(formatValue(2048, 'bytes')).toBe('2048 B (2.0 KiB)');
  });
  it('prints a dash for a missing value', () => {
    expect(formatValue(null, 'ms')).toBe('—');
  });
  it('significant never uses exponent notation', () => {
    expect(significant(0.000123, 2)).toBe('0.00012');
    expect(significant(98765, 3)).toBe('98765');
  });
});

describe('figure', () => {
  it('computes the ratio and flags a value that differs from the expected one', () => {
    expect(figure('x', 'ms', 2, 1)).toMatchObject({ ours: 2, reference: 1, ratio: 2 });
    expect(figure('calls', 'calls', 1, null, { expected: 0 }).failure).toBe('expected 0, got 1');
    expect(figure('calls', 'calls', 0, null, { expected: 0 }).failure).toBeUndefined();
  });
});

describe('renderTable', () => {
  it('aligns columns under a header and a rule', () => {
    expect(renderTable(['a', 'bb'], [['ccc', 'd']]).split('\n')).toEqual(['a    bb', '---  --', 'ccc  d']);
  });
});
