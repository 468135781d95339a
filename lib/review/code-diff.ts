// The unified line diff a reviewer reads between the last approved version's code and this one's
// (jsdiff, pure JavaScript; only the CLI bundles it).
import { structuredPatch } from 'diff';

/** `old` → `now` as unified diff text (3 lines of context), or undefined when no line differs. */
export function unifiedDiff(old: string, now: string, oldLabel: string, newLabel: string): string | undefined {
  if (old === now) return undefined;
  // A missing final newline is not a change a reviewer judges ("\ No newline at end of file").
  const line = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);
  const patch = structuredPatch(oldLabel, newLabel, line(old), line(now), undefined, undefined, { context: 3 });
  if (patch.hunks.length === 0) return undefined;
  const hunks = patch.hunks.map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join('\n'));
  return [`--- ${oldLabel}`, `+++ ${newLabel}`, ...hunks].join('\n');
}
