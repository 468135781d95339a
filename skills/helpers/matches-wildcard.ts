/** Whether a string matches a pattern where "*" stands for any run of characters (the whole string must match). */
export function matchesWildcard(value: string, pattern: string): boolean {
  const parts = String(pattern).split('*');
  const escaped = parts.map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp('^' + escaped.join('.*') + '$').test(String(value));
}
