import type { KubeObject } from '../k8s/types.ts';

export type Stage = 'Dry' | 'Warn' | 'Deny';

/**
 * A person's approval to enforce the exact policy spec with this hash. Its own kind, because
 * Kubernetes RBAC grants per resource, not per field: who may edit an intent need not be who may
 * let it block requests. spec is immutable (CEL), and approvedBy is stamped by our mutating policy
 * from the request's user, so it cannot be claimed by someone else.
 */
export interface PolicyApproval extends KubeObject {
  kind: 'PolicyApproval' | 'NamespacedPolicyApproval';
  spec: { gptPolicy: string; stage: 'Warn' | 'Deny'; specHash: string; approvedBy?: string };
  status?: { phase?: 'Active' | 'Superseded' | 'Stale' | 'Invalid'; message?: string; observedGeneration?: number };
}

/** The rollout of a GPTPolicy's current policy, in its status. */
export interface RolloutStatus {
  stage: Stage;
  /** sha256 of the policy spec that would be enforced (violationPolicy left out). Approve this. */
  specHash: string;
  /** The approval in force, if any. */
  approval?: string;
  approvedBy?: string;
  /** When this spec was applied: violations before it belong to an earlier policy. */
  since?: string;
}
