import { quantityNanos } from './quantity-nanos.ts';

/**
 * A Kubernetes resource quantity as a number of base units (cores, bytes): "500m" → 0.5, "1Gi" →
 * 1073741824, "1e3" → 1000, "2k" → 2000; numbers pass through; NaN when it is not a quantity.
 *
 * The value is read exactly as Kubernetes reads it (every suffix and exponent, see quantityNanos) and
 * only then turned into the nearest double, so "700m" is 0.7 exactly as the literal 0.7 is. A double
 * is still approximate: to compare or add quantities use compareQuantities or quantityNanos.
 */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  const nanos = quantityNanos(quantity);
  if (nanos === null) return NaN;
  const negative = nanos < BigInt(0);
  const digits = String(negative ? -nanos : nanos).padStart(10, '0');
  // The exact decimal text, then one correctly rounded conversion.
  return parseFloat((negative ? '-' : '') + digits.slice(0, -9) + '.' + digits.slice(-9));
}
