import type { Condition, KubeObject } from '../k8s/types.ts';
import type { RolloutStatus } from '../rollout/types.ts';

export interface GPTPolicySpec {
  /** The intent in plain language. */
  description: string;
  /** Overrides the model the controller is configured with. */
  model?: string;
  /** Model calls allowed per change of intent (feedback rounds included). */
  maxAttempts?: number;
}

/** Tokens the model spent on this GPTPolicy's current intent. */
export interface Usage {
  modelCalls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/**
 * Progress towards a policy for one intent. Written before each model call, so that a run
 * jsPolicy killed mid-call is seen by the next event instead of being retried blindly.
 */
export interface GenerationState {
  intentHash: string;
  /** Model calls started for this intent. */
  calls: number;
  /** Set while a model call is under way; still set on the next event = that run was killed. */
  inFlightSince?: string;
  /**
   * Set once the model answered, with the call's usage, while the answer is checked and applied;
   * still set on the next event = that run ended where nothing could catch it (timeout, memory).
   */
  answeredAt?: string;
  /** Transient failures (429, 5xx, unreachable) in a row, for the backoff. */
  transientFailures: number;
  /** RFC 3339: no model call before this time. */
  notBefore?: string;
  /** Earlier answers of this intent and what was wrong with each: the conversation so far. */
  turns?: FeedbackTurn[];
  /** Correction rounds started by the platform (API server rejection, jsPolicy compile failure). */
  platformRounds?: number;
}

/** One earlier answer and the feedback it got, kept in the status for the next call. */
export interface FeedbackTurn {
  answer: string;
  feedback: string;
}

/** One model call's result, for reviewers. */
export interface AttemptSummary {
  call: number;
  /** applied | findings | tests-failed | malformed | rejected | compile-failed */
  outcome: string;
  errors: number;
  testFailures: number;
  summary: string;
}

export interface GPTPolicyStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  /** Name of the JsPolicy generated for the current intent. */
  policyName?: string;
  /** The intent the status describes; equal to the spec's = nothing to do. */
  intentHash?: string;
  generation?: GenerationState;
  plan?: Record<string, unknown>;
  /** What each model call for the current intent produced. */
  attempts?: AttemptSummary[];
  /** The answer (plan, policy, tests) behind the applied policy, verbatim but clipped. */
  answer?: string;
  /** Library skills put in the prompt for the current intent, and those the applied policy calls. */
  skills?: { retrieved: string[]; used?: string[] };
  /** How far the applied policy is enforced, and the hash a person approves. */
  rollout?: RolloutStatus;
  /** What the policy would do to existing objects (impact preview). */
  impact?: Record<string, unknown>;
  /** What jsPolicy logged for the policy since it was applied. */
  violations?: Record<string, unknown>;
  usage?: Usage;
  /** The last version a person approved, kept across regenerations for the next review's diff. */
  approved?: ApprovedVersion;
}

/** A policy version a PolicyApproval put in force: its hash, and its code without the guard. */
export interface ApprovedVersion {
  specHash: string;
  stage: 'Warn' | 'Deny';
  approval: string;
  approvedBy?: string;
  /** The candidate's code (helpers inlined) as approved; status bounds may clip it. */
  code: string;
  /** sha256 of the code as approved: a clipped code no longer matches it, and is not diffed. */
  codeSha256: string;
}

/** A GPTPolicy, or a NamespacedGPTPolicy: same spec and status, bound to its namespace (lib/gptpolicy/kinds.ts). */
export interface GPTPolicy extends KubeObject {
  kind: 'GPTPolicy' | 'NamespacedGPTPolicy';
  spec: GPTPolicySpec;
  status?: GPTPolicyStatus;
}
