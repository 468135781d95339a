/** Whether a string matches a pattern where "*" stands for any run of characters (the whole string must match). */
export function matchesWildcard(value: string, pattern: string): boolean {
  // Plain string matching, not a RegExp built from the pattern: the first and last parts anchor the
  // ends, the ones between are found left to right (leftmost is always safe for `*`-only globs).
  const text = String(value);
  const parts = String(pattern).split('*', 1000);
  const first = parts[0] as string;
  if (parts.length === 1) return text === first;
  const last = parts[parts.length - 1] as string;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  const end = text.length - last.length;
  let at = first.length;
  const middle = parts.slice(1, parts.length - 1);
  for (let i = 0; i < middle.length; i++) {
    const part = middle[i] as string;
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
