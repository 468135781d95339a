// The benchmark's stdout: one aligned table per section. The JSON file holds the same figures.
import { formatRatio, formatValue } from './measure.ts';
import type { Figure, Section } from './report.ts';

/** Left-aligned columns separated by two spaces; numbers are pre-formatted strings. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function figureRow(f: Figure): string[] {
  const status = f.failure ? `FAILED: ${f.failure}` : '';
  const note = [f.referenceLabel ? `ref = ${f.referenceLabel}` : '', f.note ?? '', status].filter((s) => s !== '').join('; ');
  return [f.name, formatValue(f.ours, f.unit), formatValue(f.reference, f.unit), formatRatio(f.ratio), note];
}

export function renderSection(section: Section): string {
  const out = [`== ${section.title} ==`, `ours: ${section.ours}`, `reference: ${section.reference}`, ''];
  if (section.figures.length > 0) out.push(renderTable(['figure', 'ours', 'reference', 'ratio', 'note'], section.figures.map(figureRow)));
  for (const note of section.notes) out.push(`  · ${note}`);
  for (const failure of section.failures) out.push(`  ✗ FAILED: ${failure}`);
  if (section.durationMs !== undefined) out.push(`  (section took ${(section.durationMs / 1000).toFixed(1)} s)`);
  return out.join('\n');
}
