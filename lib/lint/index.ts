// gptpolicy's JsPolicy linter: runtime-neutral (jsPolicy's V8 9.6 and Node), acorn its only dependency.
import type { Finding, LintOptions } from './types.ts';
import { viewPolicy } from './types.ts';
import { lintSchema } from './schema.ts';
import { lintResources } from './resources.ts';
import { lintCode } from './code.ts';
import { lintIntent } from './intent.ts';
import { lintSafety } from './safety.ts';

export type { Finding, LintOptions, LintProfile, Severity } from './types.ts';
export type { Plan, PlanResource } from './plan.ts';
export { lintSummary, formatFindingsForModel, findingPlace } from './format.ts';
export { isProtectedResource, PROTECTED_RESOURCES } from './safety.ts';

/**
 * Lints one JsPolicy manifest (already parsed from YAML/JSON). Schema findings come first, then
 * resources, code and intent. Anything that is not a JsPolicy yields only `not-a-jspolicy`.
 */
export function lintPolicy(policy: unknown, options: LintOptions): Finding[] {
  const view = viewPolicy(policy);
  const schema = lintSchema(view, options);
  const notJsPolicy = schema.filter((f) => f.rule === 'not-a-jspolicy');
  if (notJsPolicy.length > 0) return notJsPolicy;
  return [...schema, ...lintSafety(view, options), ...lintResources(view, options), ...lintCode(view, options), ...lintIntent(view, options)];
}
