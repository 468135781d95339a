// The guard rails of a proposal, by code: whatever the model proposed, a child GPTPolicy reaches no
// namespace beyond those the goal's own text names, never a protected one, and its description says
// so in words the child's own guard rails read (intent-namespaces.ts), so that the child's
// namespaceSelector is built from it as for any hand-written GPTPolicy. Protected kinds are the
// child's pipeline's to refuse (build-jspolicy.ts, from the policy's resources): words alone would
// refuse "volumes may only be configMap … or secret" for naming Secrets.
import { namespacesNamedIn } from '../policy/intent-namespaces.ts';
import type { Proposal } from './proposal.ts';
import type { GoalChild } from './types.ts';

/** Times a failed child may be given a new intent before it is given up. */
export const MAX_CHILD_RETRIES = 1;
/** A GPTPolicy's description is at most this long (k8s/gptpolicy-crd.yaml). */
const MAX_DESCRIPTION = 2000;

export interface NarrowContext {
  /** The namespaces the goal's text names; [] = every unprotected namespace. */
  scope: readonly string[];
  protectedNamespaces: readonly string[];
  children: readonly GoalChild[];
  maxPolicies: number;
}

export type Narrowed =
  | { ok: true; description: string; namespaces: string[]; dropped: string[]; retry?: string }
  | { ok: false; problem: string };

const clean = (text: string): string => text.trim().replace(/[\s.;,]+$/, '');
const normal = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** A proposal's "next" made into a child's description within the goal's scope, or why it is refused. */
export function narrowProposal(proposal: Proposal, context: NarrowContext): Narrowed {
  const protectedOnes = context.protectedNamespaces;
  const scope = context.scope.filter((n) => !protectedOnes.includes(n));
  if (context.scope.length > 0 && scope.length === 0) return { ok: false, problem: `the goal names only protected namespaces (${context.scope.join(', ')}): no child reaches them` };
  const inScope = (n: string): boolean => !protectedOnes.includes(n) && (scope.length === 0 || scope.includes(n));
  // The model was told not to name namespaces in the sentence; words cannot be taken out of a
  // sentence safely, so one naming a namespace beyond the goal is refused, not narrowed.
  const inText = namespacesNamedIn(proposal.intent);
  const outside = inText.filter((n) => !inScope(n));
  if (outside.length > 0) return { ok: false, problem: `the intent names the namespace(s) ${outside.join(', ')}, outside the goal's ${describeScope(scope)}: name namespaces only in "namespaces"` };
  const asked = [...new Set([...proposal.namespaces, ...inText])];
  const kept = asked.filter(inScope);
  const dropped = asked.filter((n) => !inScope(n));
  if (asked.length > 0 && kept.length === 0 && scope.length === 0) return { ok: false, problem: `the namespaces ${dropped.join(', ')} are protected: no child reaches them` };
  const namespaces = kept.length > 0 ? kept : [...scope];
  const where = namespaces.length === 0 ? '' : ` in the namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')}`;
  const description = `${clean(proposal.intent)}${where}.`;
  if (description.length > MAX_DESCRIPTION) return { ok: false, problem: `the intent is too long for a GPTPolicy description (${MAX_DESCRIPTION} characters with its namespaces)` };
  // What the child's guard rails will read, checked here: a phrase that reads otherwise is refused.
  const read = namespacesNamedIn(description);
  if (read.some((n) => !inScope(n)) || (scope.length > 0 && read.length === 0)) return { ok: false, problem: `the intent reads as reaching beyond the goal's ${describeScope(scope)}` };
  const same = context.children.find((c) => normal(c.intent) === normal(description) && c.name !== proposal.retry);
  if (same) return { ok: false, problem: `the child ${same.name} already has this intent` };
  if (proposal.retry !== '') {
    const child = context.children.find((c) => c.name === proposal.retry);
    if (!child) return { ok: false, problem: `retry names ${proposal.retry}, which is not a child of this goal` };
    if (child.state !== 'Failed') return { ok: false, problem: `retry names ${child.name}, which is ${child.state}, not Failed` };
    if (child.retries >= MAX_CHILD_RETRIES) return { ok: false, problem: `${child.name} was retried ${child.retries} time(s) already and is given up` };
    return { ok: true, description, namespaces, dropped, retry: child.name };
  }
  if (context.children.length >= context.maxPolicies) return { ok: false, problem: `the goal has its ${context.maxPolicies} children (spec.maxPolicies): only a retry of a failed child is possible` };
  return { ok: true, description, namespaces, dropped };
}

export function describeScope(scope: readonly string[]): string {
  return scope.length === 0 ? 'scope (every unprotected namespace)' : `namespace${scope.length > 1 ? 's' : ''} ${scope.join(', ')}`;
}

/** Whether a failed child may still be retried. */
export function retryable(child: GoalChild): boolean {
  return child.state === 'Failed' && child.retries < MAX_CHILD_RETRIES;
}
