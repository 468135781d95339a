// A PolicyGoal: a goal in plain language that the generation controller decomposes, one child
// GPTPolicy at a time (Voyager's automatic curriculum over the skill library).
import { GROUP } from '../gptpolicy/api.ts';
import type { Condition, KubeObject } from '../k8s/types.ts';

export const GOAL_KIND = 'PolicyGoal';
export const GOAL_PLURAL = 'policygoals';
/** On every child GPTPolicy: the goal that proposed it (kubectl get gptp -l gptpolicy.dev/goal=NAME). */
export const GOAL_LABEL = `${GROUP}/goal`;
/**
 * On a child GPTPolicy, written by the goal's controller once it has recorded the child's outcome:
 * the outcome's signature (childSignature). A settled child whose signature differs is news for its
 * goal; the triage decides that from the child alone, so a resync of a recorded child costs nothing.
 */
export const GOAL_OBSERVED_ANNOTATION = `${GROUP}/goal-observed`;

export const DEFAULT_MAX_POLICIES = 8;
export const DEFAULT_TOKEN_BUDGET = 100_000;

export interface PolicyGoalSpec {
  goal: string;
  model?: string;
  maxPolicies?: number;
  tokenBudget?: number;
}

export type ChildState = 'Generating' | 'Ready' | 'Failed';

export interface GoalChild {
  name: string;
  /** The child's description, as narrowed by code. */
  intent: string;
  namespaces: string[];
  /** Namespaces the proposal asked for and code left out. */
  dropped?: string[];
  state: ChildState;
  reason?: string;
  message?: string;
  policyName?: string;
  retries: number;
  modelCalls?: number;
  tokens?: number;
}

export interface GoalFailure {
  step: number;
  child?: string;
  reason: string;
  message: string;
}

export interface GoalUsage {
  modelCalls: number;
  proposalTokens: number;
  childTokens: number;
  totalTokens: number;
}

export interface ProposalState {
  inFlightSince?: string;
  notBefore?: string;
  transientFailures?: number;
  /** Unreadable or refused proposals in a row. */
  failures?: number;
}

/** Why a curriculum stopped: said on the Met condition. */
export type StopReason =
  | 'GoalMet'
  | 'GoalUnreachable'
  | 'BudgetSpent'
  | 'PolicyLimitReached'
  | 'ProposalsFailed'
  | 'ProposalInterrupted'
  | 'GoalChanged'
  | 'GoalRefused'
  | 'ControllerError'
  | 'NoApiKey'
  | 'BadConfig'
  | 'ModelAuthFailed'
  | 'ModelRequestRejected'
  | 'ModelBadResponse'
  | 'ModelRateLimited'
  | 'ModelUnavailable'
  | 'ModelUnreachable';

export interface PolicyGoalStatus {
  observedGeneration?: number;
  goalHash?: string;
  scope?: string[];
  conditions?: Condition[];
  summary?: string;
  inFlight?: string;
  stopped?: StopReason;
  proposal?: ProposalState;
  steps?: number;
  children?: GoalChild[];
  failures?: GoalFailure[];
  skillsLearned?: string[];
  judgement?: string;
  usage?: GoalUsage;
}

export interface PolicyGoal extends KubeObject {
  kind: 'PolicyGoal';
  spec: PolicyGoalSpec;
  status?: PolicyGoalStatus;
}
