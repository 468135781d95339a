// The bound of a NamespacedGPTPolicy: its policy sees requests in its own namespace and nothing
// else, whatever the description or the model says. The webhook's namespaceSelector is that namespace
// alone, its scope is Namespaced (an API server never applies a namespaceSelector to a cluster-scoped
// object, so scope "*" or "Cluster" would reach past any selector), and get/list answer only that
// namespace (confine.ts reads the same selector). What the bound refuses is said as a finding.
import { BUILTIN_RESOURCES, type ServedResource } from '../k8s/builtin-resources.ts';
import type { PolicyDraft } from '../model/answer.ts';
import type { Guardrails } from './guardrails.ts';
import { kindsNamedIn } from './intent-kinds.ts';
import { namespacesNamedIn } from './intent-namespaces.ts';

/**
 * Why an intent bound to `namespace` can have no policy at all, read from the user's own words
 * before any model call; undefined when it can.
 */
export function boundRefusal(namespace: string, description: string, guardrails: Guardrails): string | undefined {
  if (namespace === '') return 'a NamespacedGPTPolicy without a namespace cannot be bound to one';
  if (guardrails.protectedNamespaces.includes(namespace)) {
    return `namespace ${namespace} is protected: gptpolicy never generates policies for ${guardrails.protectedNamespaces.join(', ')}, so a NamespacedGPTPolicy there is refused`;
  }
  const others = namespacesNamedIn(description).filter((n) => n !== namespace);
  if (others.length > 0) {
    return `the description names namespace(s) ${others.join(', ')}, but a NamespacedGPTPolicy in ${namespace} reaches only ${namespace}: write it in each namespace it is for, or ask a cluster admin for a GPTPolicy`;
  }
  return undefined;
}

/**
 * The draft's resource entries (with any subresource) that are cluster-scoped kinds: built-in ones,
 * and those of `served` (the cluster's discovery, for custom resources) in the draft's API groups.
 */
export function clusterScopedEntries(draft: Pick<PolicyDraft, 'resources' | 'apiGroups'>, served: readonly ServedResource[] = BUILTIN_RESOURCES): string[] {
  const groups = draft.apiGroups ?? [];
  const anyGroup = groups.length === 0 || groups.includes('*');
  return draft.resources.filter((entry) => {
    const resource = entry.split('/')[0];
    return served.some((r) => !r.namespaced && r.resource === resource && (anyGroup || groups.includes(r.group)));
  });
}

/**
 * The refusal of a draft that matches cluster-scoped kinds: `final` when the description itself
 * names them (no answer can then be right), else the model is told to name namespaced kinds only.
 */
export function clusterScopedRefusal(
  namespace: string,
  draft: Pick<PolicyDraft, 'resources' | 'apiGroups'>,
  description: string,
  served: readonly ServedResource[] = BUILTIN_RESOURCES,
): { message: string; final: boolean } | undefined {
  const hit = clusterScopedEntries(draft, served);
  if (hit.length === 0) return undefined;
  const named = kindsNamedIn(description, served);
  const final = hit.some((entry) => named.includes(entry.split('/')[0] ?? ''));
  return {
    message: `policy.resources ${hit.join(', ')} ${hit.length === 1 ? 'is' : 'are'} cluster-scoped: a NamespacedGPTPolicy's policy sees only namespaced requests in ${namespace}; name namespaced resources only`,
    final,
  };
}
