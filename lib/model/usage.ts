/** One call's token counts, as the status adds them up. */
export interface Tokens {
  prompt: number;
  completion: number;
  total: number;
}

/** More than any call can spend: a count above it is a broken server, not a bill. */
const MAX_TOKENS_PER_CALL = 1_000_000_000;

/**
 * A completion's `usage`, whatever its shape. Documented coercion: counts sent as numeric strings
 * ("01200") are read as numbers; anything else that is not a non-negative number counts 0;
 * fractions are rounded down. A missing total is prompt + completion.
 */
export function readTokens(usage: unknown): Tokens {
  const record = usage !== null && typeof usage === 'object' ? (usage as Record<string, unknown>) : {};
  const prompt = count(record.prompt_tokens);
  const completion = count(record.completion_tokens);
  const total = count(record.total_tokens);
  return { prompt: prompt ?? 0, completion: completion ?? 0, total: total ?? (prompt ?? 0) + (completion ?? 0) };
}

function count(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.min(Math.floor(n), MAX_TOKENS_PER_CALL) : undefined;
}
