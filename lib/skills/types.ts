// The PolicySkill kind (k8s/policyskill-crd.yaml): a named, verified piece of policy knowledge the
// controller retrieves into the prompt (helpers: functions generated code may call; examples: intent →
// plan → policy → tests). Runtime-neutral: used by the controller, the toolkit and the CLI.
import type { KubeObject } from '../k8s/types.ts';
import type { ModelAnswer } from '../model/answer.ts';

export const SKILL_API_VERSION = 'gptpolicy.dev/v1alpha1';
export const SKILL_KIND = 'PolicySkill';

export type SkillKind = 'helper' | 'example';

/**
 * One test of a skill, in PolicyTest's case shape. For a helper, `call` is a JavaScript expression over
 * `request` (and the helper) and the case runs this tiny Validating policy, the helper's code (and the
 * code of the skills it calls) placed before it:
 *
 *     (function (value) { if (value) deny(JSON.stringify(value)); })(CALL);
 *
 * so a truthy value is `result: deny` with the value as JSON in the message (`message` is a substring
 * of it), a falsy one is `result: allow`, and a throw is `result: error`. Examples carry no `call`: their
 * tests are the model-answer tests inside `spec.example`.
 */
export interface SkillTestCase {
  name: string;
  /** A JavaScript expression (helpers only). */
  call?: string;
  /** An AdmissionRequest; only `operation` is required, `kind` is taken from `object` when absent. */
  request: Record<string, unknown> & { operation: string };
  expect: {
    result: 'allow' | 'deny' | 'error' | 'unmatched';
    /** Substring of the deny message (the value as JSON) or of the error. */
    message?: string;
    warnings?: string[];
    object?: Record<string, unknown>;
  };
}

export interface SkillExample extends ModelAnswer {
  intent: string;
}

export interface SkillProvenance {
  source: 'hand-written' | 'learned';
  /** learned: the GPTPolicy the skill was learned from. */
  gptPolicy?: string;
  /** Who approved the policy (or the skill). */
  approvedBy?: string;
  /** sha256 hex of spec.code. */
  codeHash: string;
}

export interface PolicySkillSpec {
  /** The function name, a JS identifier in lowerCamelCase; metadata.name is skillObjectName(function). */
  function: string;
  kind: SkillKind;
  /** One line. */
  description: string;
  /** helper: a TypeScript-like signature for the prompt, e.g. `imageTag(image: string): string`. */
  signature?: string;
  /** helper: one function declaration (plain JS, es2020). example: renderExample(example). */
  code: string;
  /** Helper functions the code calls (their function names). */
  calls?: string[];
  /** The code uses read-only get/list. */
  reads?: boolean;
  tests?: SkillTestCase[];
  /** Objects the cluster holds while the tests run (get/list answer them), as PolicyTest's `cluster`. */
  testCluster?: KubeObject[];
  example?: SkillExample;
  provenance: SkillProvenance;
  /** Optional retrieval hints (extra words matched against intents). */
  keywords?: string[];
}

export interface PolicySkillStatus {
  verified?: boolean;
  failingCase?: string;
  message?: string;
  observedGeneration?: number;
  uses?: number;
}

export interface PolicySkill extends KubeObject {
  kind: 'PolicySkill';
  spec: PolicySkillSpec;
  status?: PolicySkillStatus;
}

/** A helper the model proposed in an answer (the "small step"), with its own test cases. */
export interface HelperProposal {
  function: string;
  description: string;
  code: string;
  tests: SkillTestCase[];
  calls?: string[];
  reads?: boolean;
  /** The model marked it reusable: only those become skill candidates. */
  reusable?: boolean;
}
