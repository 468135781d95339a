import type { Checks } from '../controller/judge.ts';
import type { ServedResource } from '../k8s/builtin-resources.ts';
import type { Finding } from '../lint/types.ts';
import type { ImpactReport, PreviewInput } from './preview.ts';

/**
 * The generation toolkit: everything that checks a model's answer (linter, JS parser, sandbox).
 * It is large, and only needed after a model call, so the controller bundle carries it as a
 * string and evaluates it on demand (lib/platform/toolkit.ts) instead of parsing it on every event.
 */
export interface Toolkit {
  checks(resources: readonly ServedResource[]): Checks & { formatFindings(findings: Finding[]): string };
  preview(input: PreviewInput): ImpactReport;
}

/** The global the toolkit bundle assigns when evaluated. */
export const TOOLKIT_GLOBAL = '__gptpolicyToolkit';
