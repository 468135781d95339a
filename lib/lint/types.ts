// Shared types of the policy linter (runtime-neutral).
import type { ServedResource } from '../k8s/builtin-resources.ts';
import type { Plan } from './plan.ts';
import { unwrapGuard } from '../policy/guard.ts';

export type Severity = 'error' | 'warning';

export interface Finding {
  /** Kebab-case rule id, e.g. "undeclared-name". */
  rule: string;
  severity: Severity;
  /** Manifest field path, e.g. "spec.apiGroups[0]" (absent for findings inside the javascript). */
  path?: string;
  /** 1-based line inside spec.javascript. */
  line?: number;
  /** 1-based column inside spec.javascript. */
  column?: number;
  /** For a person. */
  message: string;
  /** A fix hint written for an LLM. */
  hint: string;
}

/**
 * generated: the strict standard gptpolicy holds model-written policies to.
 * jspolicy: what is actually wrong or risky for jsPolicy itself (fair to hand-written policies).
 */
export type LintProfile = 'generated' | 'jspolicy';

export interface LintOptions {
  profile: LintProfile;
  /** Discovery: built-in resources plus CRDs. */
  resources: readonly ServedResource[];
  plan?: Plan;
  /** The GPTPolicy's description, the user's own words: what the policy may reach beyond namespaces. */
  description?: string;
  /** Extra global function names the script may call (the skill library). */
  helpers?: string[];
}

/** The parts of a JsPolicy the rules look at, decoded leniently. */
export interface PolicyView {
  raw: unknown;
  name: string;
  kind: string;
  apiVersion: string;
  spec: Record<string, unknown>;
  type: string;
  operations: string[];
  resources: string[];
  apiGroups: string[] | undefined;
  apiVersions: string[] | undefined;
  javascript: string;
}

export type Rule = (policy: PolicyView, options: LintOptions) => Finding[];

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function viewPolicy(raw: unknown): PolicyView {
  const o = isObj(raw) ? raw : {};
  const meta = isObj(o.metadata) ? o.metadata : {};
  const spec = isObj(o.spec) ? o.spec : {};
  return {
    raw,
    name: typeof meta.name === 'string' ? meta.name : '',
    kind: typeof o.kind === 'string' ? o.kind : '',
    apiVersion: typeof o.apiVersion === 'string' ? o.apiVersion : '',
    spec,
    type: typeof spec.type === 'string' ? spec.type : '',
    operations: strings(spec.operations),
    resources: strings(spec.resources),
    apiGroups: Array.isArray(spec.apiGroups) ? strings(spec.apiGroups) : undefined,
    apiVersions: Array.isArray(spec.apiVersions) ? strings(spec.apiVersions) : undefined,
    // A policy gptpolicy emitted is judged by its candidate's code: our guard around it names
    // jsPolicy's globals itself (mutate, requeue) and is checked by our own tests.
    javascript: typeof spec.javascript === 'string' ? (unwrapGuard(spec.javascript) ?? spec.javascript) : '',
  };
}

/** error in the generated profile, warning in the jspolicy profile. */
export function strictness(options: LintOptions): Severity {
  return options.profile === 'generated' ? 'error' : 'warning';
}

/** Operations a policy effectively matches ("*" expanded). */
export function expandOperations(ops: readonly string[]): string[] {
  return ops.indexOf('*') >= 0 ? ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] : ops.slice();
}

/** obj[key] for own properties only (so "toString" or "constructor" never hit Object.prototype). */
export function own<T>(obj: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}
