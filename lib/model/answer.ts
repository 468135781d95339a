import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';

// What the model must answer, in this order: the plan, then the policy, then its own test cases.
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

export interface ModelAnswer {
  plan: PolicyPlan;
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
