/**
 * A Kubernetes resource quantity as a number of base units (cores, bytes): "500m" → 0.5, "1Gi" →
 * 1073741824, "1e3" → 1000, "2k" → 2000; numbers pass through; NaN when it is not a quantity.
 */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  if (typeof quantity !== 'string') return NaN;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/.exec(quantity.trim());
  if (!m) return NaN;
  const value = parseFloat(m[1] as string);
  if (m[2]) return value * Math.pow(10, parseInt(m[2].slice(1), 10));
  const factors: Record<string, number> = {
    n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 1024, Mi: 1048576, Gi: 1073741824, Ti: 1099511627776, Pi: 1125899906842624, Ei: 1152921504606846976,
  };
  return m[3] ? value * (factors[m[3]] as number) : value;
}
