import { quantityNanos } from './quantity-nanos.ts';

/**
 * Compares two resource quantities exactly: -1 when a < b, 0 when equal, 1 when a > b, NaN when either is
 * not a quantity.
 *
 * Exact on Kubernetes' nano scale (quantityNanos), so "700m" equals "0.7" and "1024Mi" equals "1Gi"; a
 * number is read as its decimal text (0.7 → "0.7").
 */
export function compareQuantities(a: string | number, b: string | number): number {
  const x = quantityNanos(a);
  const y = quantityNanos(b);
  if (x === null || y === null) return NaN;
  return x < y ? -1 : x > y ? 1 : 0;
}
