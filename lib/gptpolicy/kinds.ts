// The two kinds of intent and their approvals. A GPTPolicy is cluster-scoped: writing one is a
// cluster-level right, and its policy reaches every unprotected namespace its description allows. A
// NamespacedGPTPolicy is the same intent written by a team for its own namespace: the namespace it
// lives in bounds its policy, by code, whatever the description or the model says
// (lib/policy/namespace-bound.ts), and its approvals are NamespacedPolicyApprovals in that same
// namespace, so that reviewing one namespace's policies can be granted with a RoleBinding. One
// controller serves both: the kind is a scope parameter, not a second pipeline.
import type { KubeObject } from '../k8s/types.ts';
import { GPTPOLICY_KIND, NAMESPACED_GPTPOLICY_KIND } from './api.ts';
import type { GPTPolicy } from './types.ts';

export interface IntentKind {
  kind: GPTPolicy['kind'];
  plural: string;
  approvalKind: 'PolicyApproval' | 'NamespacedPolicyApproval';
  approvalPlural: string;
  namespaced: boolean;
}

export const CLUSTER_INTENT: IntentKind = { kind: GPTPOLICY_KIND, plural: 'gptpolicies', approvalKind: 'PolicyApproval', approvalPlural: 'policyapprovals', namespaced: false };
export const NAMESPACED_INTENT: IntentKind = {
  kind: NAMESPACED_GPTPOLICY_KIND,
  plural: 'namespacedgptpolicies',
  approvalKind: 'NamespacedPolicyApproval',
  approvalPlural: 'namespacedpolicyapprovals',
  namespaced: true,
};

export function isIntentKind(kind: string | undefined): boolean {
  return kind === CLUSTER_INTENT.kind || kind === NAMESPACED_INTENT.kind;
}

export function isApprovalKind(kind: string | undefined): boolean {
  return kind === CLUSTER_INTENT.approvalKind || kind === NAMESPACED_INTENT.approvalKind;
}

/** The intent kind of an intent, or of an approval kind. */
export function intentKindOf(kind: string | undefined): IntentKind {
  return kind === NAMESPACED_INTENT.kind || kind === NAMESPACED_INTENT.approvalKind ? NAMESPACED_INTENT : CLUSTER_INTENT;
}

/** The namespace a NamespacedGPTPolicy is bound to; undefined for a GPTPolicy. */
export function namespaceBound(gp: GPTPolicy): string | undefined {
  return intentKindOf(gp.kind).namespaced ? gp.metadata.namespace ?? '' : undefined;
}

/** What jsPolicy's get() takes for an object: "namespace/name", or the name of a cluster-scoped one. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function keyOf(object: KubeObject): string {
  return objectKey(object.metadata.namespace, object.metadata.name ?? '');
}

/** The plural of an intent or approval kind, for its status subresource. */
export function pluralOf(kind: string): string {
  const intent = intentKindOf(kind);
  return kind === intent.approvalKind ? intent.approvalPlural : intent.plural;
}
