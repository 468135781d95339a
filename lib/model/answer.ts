import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { modelSchema } from './answer-schema.ts';

// What the model must answer, in this order: the plan, any helpers it needs first (small steps),
// then the policy, then its own test cases.
// The schema (answer-schema.ts) is closed (every property required, no extras) so OpenAI's strict mode
// accepts it; free-form objects (an admission request, a selector) travel as JSON strings for the same
// reason. Its bounds are checked on acceptance (read-answer.ts), not sent.

export interface PlannedResource {
  group: string;
  version: string;
  resource: string;
}

export interface PolicyPlan {
  summary: string;
  resources: PlannedResource[];
  operations: string[];
  /** Namespaces the intent names; [] when it names none. */
  namespaces: string[];
  denies: string;
  allows: string;
  mutates: string;
}

export interface PolicyDraft {
  type: 'Validating' | 'Mutating';
  operations: string[];
  resources: string[];
  apiGroups: string[];
  apiVersions: string[];
  scope: 'Namespaced' | 'Cluster' | '*';
  /** A LabelSelector as JSON, or "" for none. */
  objectSelector: string;
  javascript: string;
}

export interface DraftTestCase {
  name: string;
  /** An AdmissionRequest as JSON. */
  request: string;
  expect: 'allow' | 'deny' | 'mutate';
  /** For deny: a substring of the message; for mutate: a JSON subset of the mutated object; else "". */
  detail: string;
}

/** A small step: a helper the model proposes, verified on its own before the policy may call it. */
export interface HelperDraft {
  /** A JS identifier in lowerCamelCase. */
  function: string;
  description: string;
  /** One function declaration. */
  code: string;
  /** Worth keeping: offered to the skill library once the policy is approved. */
  reusable: boolean;
  tests: Array<{
    name: string;
    /** An expression calling the helper, over `request`. */
    call: string;
    /** An AdmissionRequest as JSON, or "" for a bare CREATE. */
    request: string;
    expect: 'truthy' | 'falsy' | 'throws';
    /** A substring of the value as JSON (truthy) or of the error (throws), or "". */
    detail: string;
  }>;
}

export interface ModelAnswer {
  plan: PolicyPlan;
  /** Absent in answers written before small steps existed: treated as []. */
  helpers?: HelperDraft[];
  policy: PolicyDraft;
  tests: DraftTestCase[];
}

export const ANSWER_TOOL_NAME = 'submit_policy';

export const ANSWER_TOOL: ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: ANSWER_TOOL_NAME,
    description: 'Submit the plan, the JsPolicy and its test cases.',
    strict: true,
    parameters: modelSchema(),
  },
};
