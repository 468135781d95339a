import { ownValue } from './own-value.ts';
/**
 * A resource quantity as an exact BigInt of nano-units ("700m" → 700000000n), or null: for exact sums and
 * comparisons.
 *
 * "1Gi" → 1073741824000000000n, "1e3" → 1000000000000n. Parsed as Kubernetes' resource.Quantity parses
 * it (k8s.io/apimachinery ParseQuantity): an optional sign, digits with an optional "." and fraction
 * (".5", "1." and "1.5" are all numbers), then one suffix: binary Ki Mi Gi Ti Pi Ei (powers of 1024),
 * decimal n u m "" k M G T P E, or an exponent e/E followed by a signed integer ("1e3", "5E-2").
 * Surrounding whitespace is trimmed as the API server's JSON decoding does; a number is read as its
 * decimal text (3 → "3"). Like Kubernetes, a non-zero value finer than a nano-unit rounds up (away from
 * zero: "1e-12" → 1n), and binary-suffixed values are capped at 2^63-1 base units ("8Ei" →
 * (2^63-1)·1e9). Anything else — "", "1GB", "1 Gi", "1.5.5", an exponent that is not an integer — is
 * null, and so are a value beyond 10^50 base units and text over 128 characters (no resource comes
 * near either). Use BigInt arithmetic on the result (a + b, a > b), never Number arithmetic on
 * quantities: 0.7 is not exact in floating point, 700000000n is.
 */
export function quantityNanos(quantity: string | number): bigint | null {
  let text: string;
  if (typeof quantity === 'number') {
    if (!isFinite(quantity)) return null;
    text = String(quantity);
  } else if (typeof quantity === 'string') {
    // Bounded before the trim, whose trailing-space pattern backtracks quadratically in the length.
    if (quantity.length > 1024) return null;
    // Go's strings.TrimSpace: ASCII white space, NEL, NBSP and Unicode's space separators.
    text = quantity.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, '');
  } else {
    return null;
  }
  if (text === '' || text.length > 128) return null;
  // The suffix starts with a letter or a sign, so no digit can belong to two groups: linear time.
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?((?:[eEinumkKMGTP]+[+-]?|[+-])[0-9]*)?$/.exec(text);
  if (!m) return null;
  const negative = m[1] === '-';
  const whole = m[2] || '';
  const fraction = m[3] || '';
  const suffix = m[4] || '';
  const decimal: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
  const binary: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
  let base = 10;
  let exponent = 0;
  const decimalExponent = ownValue(decimal, suffix);
  const binaryExponent = ownValue(binary, suffix);
  if (typeof decimalExponent === 'number') {
    exponent = decimalExponent;
  } else if (typeof binaryExponent === 'number') {
    base = 2;
    exponent = binaryExponent;
  } else if (/^[eE][+-]?[0-9]+$/.test(suffix)) {
    // strconv.ParseInt(…, 10, 64), then Go's int32() conversion.
    const parsed = BigInt(suffix.slice(1));
    if (parsed > BigInt('9223372036854775807') || parsed < BigInt('-9223372036854775808')) return null;
    exponent = Number(BigInt.asIntN(32, parsed));
  } else {
    return null;
  }
  const digits = (whole + fraction).replace(/^0+/, '');
  // No digit at all ("-", ".", "m") is zero, except where Kubernetes falls back to parsing the
  // number text as a decimal, which then fails: a decimal scale below nano.
  if (whole === '' && fraction === '' && base === 10 && exponent < -9) return null;
  if (digits === '') return BigInt(0);
  const ten = BigInt(10);
  const pow10 = (n: number): bigint => {
    let r = BigInt(1);
    let b = ten;
    let e = n;
    for (let i = 0; i < 64; i++) {
      if (e <= 0) break;
      if (e % 2 === 1) r *= b;
      b *= b;
      e = Math.floor(e / 2);
    }
    return r;
  };
  const shift = exponent - fraction.length + 9;
  if (base === 10 && shift >= 0 && digits.length + shift > 60) return null;
  if (base === 10 && shift < 0 && -shift > digits.length) return negative ? BigInt(-1) : BigInt(1);
  const mantissa = BigInt(digits);
  let nanos: bigint;
  if (base === 2) {
    const numerator = mantissa * (BigInt(1) << BigInt(exponent)) * pow10(9);
    const denominator = pow10(fraction.length);
    nanos = numerator / denominator + (numerator % denominator === BigInt(0) ? BigInt(0) : BigInt(1));
    const cap = BigInt('9223372036854775807') * pow10(9);
    if (nanos > cap) nanos = cap;
  } else if (shift >= 0) {
    nanos = mantissa * pow10(shift);
  } else {
    const divisor = pow10(-shift);
    nanos = mantissa / divisor + (mantissa % divisor === BigInt(0) ? BigInt(0) : BigInt(1));
  }
  return negative ? -nanos : nanos;
}
