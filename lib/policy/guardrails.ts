import type { LabelSelector, LabelSelectorRequirement } from '../k8s/types.ts';

/** Namespaces no generated policy may ever reach, whatever the model wrote. */
export const ALWAYS_PROTECTED_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];

/** The label the API server puts on every Namespace with its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The longest a generated webhook may take before the API server gives up and lets the request through. */
export const GENERATED_TIMEOUT_SECONDS = 5;

export interface Guardrails {
  /** ALWAYS_PROTECTED_NAMESPACES, jsPolicy's own namespace and those the cluster admin adds. */
  protectedNamespaces: string[];
}

export function protectedNamespaces(jsPolicyNamespace: string, extra: readonly string[]): string[] {
  return [...new Set([...ALWAYS_PROTECTED_NAMESPACES, jsPolicyNamespace, ...extra].filter((n) => n !== ''))].sort();
}

/**
 * The namespaceSelector of a generated policy: the namespaces the intent names (when it names any),
 * never a protected one. Requirements are ANDed, so ours hold whatever else a selector asks.
 */
export function confineNamespaces(intentNamespaces: readonly string[], guardrails: Guardrails): LabelSelector {
  const keepOut: LabelSelectorRequirement = { key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: guardrails.protectedNamespaces };
  const named = intentNamespaces.filter((n) => !guardrails.protectedNamespaces.includes(n));
  if (intentNamespaces.length === 0) return { matchExpressions: [keepOut] };
  return { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...new Set(named)].sort() }, keepOut] };
}
