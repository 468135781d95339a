// Summaries and the compact text the model gets back.
import type { Finding } from './types.ts';

export function lintSummary(findings: readonly Finding[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}

/** Where a finding is: "spec.apiGroups", "javascript:12:5" or both. */
export function findingPlace(f: Finding): string {
  const js = f.line !== undefined ? `javascript:${f.line}${f.column !== undefined ? ':' + f.column : ''}` : undefined;
  if (js && f.path && f.path !== 'spec.javascript') return `${f.path} ${js}`;
  return js ?? f.path ?? 'policy';
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

/** One line per finding (errors first): severity, rule, place, message and fix hint. */
export function formatFindingsForModel(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings.';
  const sorted = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (a.f.severity === b.f.severity ? a.i - b.i : a.f.severity === 'error' ? -1 : 1))
    .map((x) => x.f);
  return sorted
    .map((f) => `${f.severity.toUpperCase()} ${f.rule} at ${findingPlace(f)}: ${oneLine(f.message)} FIX: ${oneLine(f.hint)}`)
    .join('\n');
}
