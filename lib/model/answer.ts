import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';

// What the model must answer, in this order: the plan, any helpers it needs first (small steps),
// then the policy, then its own test cases.
// The schema is closed (every property required, no extras) so OpenAI's strict mode accepts it; free-form
// objects (an admission request, a selector) travel as JSON strings for the same reason.

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

const strings = { type: 'array', items: { type: 'string' } };
const closed = (properties: Record<string, unknown>): Record<string, unknown> => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
});

export const ANSWER_SCHEMA = closed({
  plan: closed({
    summary: { type: 'string' },
    resources: { type: 'array', items: closed({ group: { type: 'string' }, version: { type: 'string' }, resource: { type: 'string' } }) },
    operations: strings,
    namespaces: strings,
    denies: { type: 'string' },
    allows: { type: 'string' },
    mutates: { type: 'string' },
  }),
  helpers: {
    type: 'array',
    items: closed({
      function: { type: 'string' },
      description: { type: 'string' },
      code: { type: 'string' },
      reusable: { type: 'boolean' },
      tests: {
        type: 'array',
        items: closed({ name: { type: 'string' }, call: { type: 'string' }, request: { type: 'string' }, expect: { type: 'string', enum: ['truthy', 'falsy', 'throws'] }, detail: { type: 'string' } }),
      },
    }),
  },
  policy: closed({
    type: { type: 'string', enum: ['Validating', 'Mutating'] },
    operations: strings,
    resources: strings,
    apiGroups: strings,
    apiVersions: strings,
    scope: { type: 'string', enum: ['Namespaced', 'Cluster', '*'] },
    objectSelector: { type: 'string' },
    javascript: { type: 'string' },
  }),
  tests: {
    type: 'array',
    items: closed({
      name: { type: 'string' },
      request: { type: 'string' },
      expect: { type: 'string', enum: ['allow', 'deny', 'mutate'] },
      detail: { type: 'string' },
    }),
  },
});

export const ANSWER_TOOL: ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: ANSWER_TOOL_NAME,
    description: 'Submit the plan, the JsPolicy and its test cases.',
    strict: true,
    parameters: ANSWER_SCHEMA,
  },
};
