import { parseQuantity } from './parse-quantity.ts';

/** Compares two resource quantities: -1 when a < b, 0 when equal, 1 when a > b, NaN when either is not a quantity. */
export function compareQuantities(a: string | number, b: string | number): number {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (isNaN(x) || isNaN(y)) return NaN;
  return x < y ? -1 : x > y ? 1 : 0;
}
