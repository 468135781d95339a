// Pure helpers of the benchmark: statistics over samples, ratios and how figures are printed.
// No timing assertions are made anywhere on these; test/bench/stats.test.ts covers them.

/** The samples sorted ascending (a copy); non-finite values are dropped. */
export function sorted(samples: readonly number[]): number[] {
  return samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
}

/** The median: the middle sample, or the mean of the two middle ones; NaN when there are none. */
export function median(samples: readonly number[]): number {
  const xs = sorted(samples);
  if (xs.length === 0) return NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? (xs[mid] as number) : ((xs[mid - 1] as number) + (xs[mid] as number)) / 2;
}

/**
 * The q-quantile (0 < q ≤ 1) by the nearest-rank method: the smallest sample with at least q of all
 * samples at or below it. Always one of the samples; NaN when there are none.
 */
export function percentile(samples: readonly number[], q: number): number {
  if (!(q > 0 && q <= 1)) throw new RangeError(`percentile: q must be in (0, 1], got ${q}`);
  const xs = sorted(samples);
  if (xs.length === 0) return NaN;
  const rank = Math.ceil(q * xs.length);
  return xs[Math.min(xs.length, Math.max(1, rank)) - 1] as number;
}

export function p95(samples: readonly number[]): number {
  return percentile(samples, 0.95);
}

export function mean(samples: readonly number[]): number {
  const xs = sorted(samples);
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  const xs = sorted(samples);
  return {
    n: xs.length,
    median: median(xs),
    p95: p95(xs),
    min: xs.length > 0 ? (xs[0] as number) : NaN,
    max: xs.length > 0 ? (xs[xs.length - 1] as number) : NaN,
    mean: mean(xs),
  };
}

/** ours / reference, or null when either is missing or the reference is 0 or not finite. */
export function ratio(ours: number | null | undefined, reference: number | null | undefined): number | null {
  if (ours === null || ours === undefined || reference === null || reference === undefined) return null;
  if (!Number.isFinite(ours) || !Number.isFinite(reference) || reference === 0) return null;
  return ours / reference;
}

/** "1.34×", "12.5×", "250×", "0.05×"; "—" when there is no ratio. */
export function formatRatio(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0×';
  const abs = Math.abs(value);
  if (abs >= 100) return `${value.toFixed(0)}×`;
  if (abs >= 10) return `${value.toFixed(1)}×`;
  if (abs >= 0.01) return `${value.toFixed(2)}×`;
  return `${value.toPrecision(1)}×`;
}

/** A value with its unit, rounded for reading: ms to 3 significant digits, counts as integers. */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  switch (unit) {
    case 'ms':
      return `${significant(value, 3)} ms`;
    case 'bytes':
      return value >= 1024 ? `${value} B (${(value / 1024).toFixed(1)} KiB)` : `${value} B`;
    default:
      return `${Number.isInteger(value) ? value : significant(value, 3)}${unit ? ` ${unit}` : ''}`;
  }
}

/** At least `digits` significant digits, never in exponent notation, no trailing zeros dropped for < 1. */
export function significant(value: number, digits: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(decimals);
}

/** Milliseconds since an arbitrary origin (monotonic). */
export function now(): number {
  return performance.now();
}

/** Runs fn n times and returns the duration of each run in ms. */
export function timeEach(n: number, fn: (i: number) => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    fn(i);
    out.push(performance.now() - start);
  }
  return out;
}
