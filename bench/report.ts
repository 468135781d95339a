// What each benchmark section hands back: figures (an absolute value for ours, the same figure for
// its reference measured in the same run, their ratio) plus notes and failures. A section that
// cannot measure something reports it as a failure on that row instead of throwing.
import { ratio } from './measure.ts';

export interface Figure {
  /** What is measured, e.g. "N=100 ms per event (median)". */
  name: string;
  /** "ms", "bytes", "tokens", "calls", "writes", "" … */
  unit: string;
  ours: number | null;
  reference: number | null;
  /** ours / reference (null when either is missing). */
  ratio: number | null;
  /** What the reference is, when it is not the section's reference. */
  referenceLabel?: string;
  /** What the value must be (e.g. 0 model calls on a no-op event); a mismatch is reported as a failure. */
  expected?: number;
  note?: string;
  /** Why the figure is missing or wrong. */
  failure?: string;
}

export interface Section {
  id: string;
  title: string;
  /** What "ours" and "reference" are in this section. */
  ours: string;
  reference: string;
  figures: Figure[];
  notes: string[];
  /** Failures that are not tied to a single figure (a scenario that did not run). */
  failures: string[];
  durationMs?: number;
}

export function figure(name: string, unit: string, ours: number | null, reference: number | null, extra: Partial<Figure> = {}): Figure {
  const out: Figure = { name, unit, ours: finite(ours), reference: finite(reference), ratio: ratio(ours, reference), ...extra };
  if (out.expected !== undefined && out.ours !== null && out.ours !== out.expected && out.failure === undefined) {
    out.failure = `expected ${out.expected}, got ${out.ours}`;
  }
  return out;
}

export function failedFigure(name: string, unit: string, failure: string, extra: Partial<Figure> = {}): Figure {
  return { name, unit, ours: null, reference: null, ratio: null, ...extra, failure };
}

function finite(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : value;
}

export function newSection(id: string, title: string, ours: string, reference: string): Section {
  return { id, title, ours, reference, figures: [], notes: [], failures: [] };
}

/** Runs a section body; anything it throws becomes a failure of the section, never a crash of the run. */
export async function guarded(section: Section, body: (section: Section) => Promise<void> | void): Promise<Section> {
  const start = performance.now();
  try {
    await body(section);
  } catch (error) {
    section.failures.push(`section aborted: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  section.durationMs = performance.now() - start;
  return section;
}

export interface BenchResults {
  tool: 'gptpolicy bench';
  startedAt: string;
  environment: { node: string; platform: string; arch: string; cpus: number; cpuModel: string };
  sections: Section[];
  /** Every failure of every section and figure, one line each. */
  failures: string[];
}

export function allFailures(sections: readonly Section[]): string[] {
  const out: string[] = [];
  for (const section of sections) {
    for (const failure of section.failures) out.push(`${section.id}: ${failure}`);
    for (const f of section.figures) if (f.failure) out.push(`${section.id}: ${f.name}: ${f.failure}`);
  }
  return out;
}
