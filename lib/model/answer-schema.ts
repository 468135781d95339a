// The one acceptance schema for a model's answer: the schema the model is given, plus the bounds
// below. Everything an answer carries is checked against it (and the JSON inside its strings against
// the schemas further down) before any code reads it: lib/model/read-answer.ts, in the toolkit,
// with validators Ajv generates from these objects at build time (scripts/generate-validators.mjs;
// no eval at run time). The schema sent to the model (ANSWER_TOOL in answer.ts) is this one minus
// what strict servers refuse: length and count bounds, patterns and defaults.

import { ANSWER_BOUNDS } from './answer-bounds.ts';

export { ANSWER_BOUNDS };

const B = ANSWER_BOUNDS;

type Schema = Record<string, unknown>;

// Shapes used many times are $defs: Ajv generates one function for each instead of inlining it at
// every use (the toolkit carries the generated code). The model's copy has them inlined.
const DEFS: Record<string, Schema> = {
  name: { type: 'string', maxLength: B.name },
  names: { type: 'array', maxItems: B.names, items: { type: 'string', maxLength: B.name } },
  prose: { type: 'string', maxLength: B.prose },
  requestJson: { type: 'string', maxLength: B.requestJson },
  detail: { type: 'string', maxLength: B.detail },
};
const ref = (name: keyof typeof DEFS): Schema => ({ $ref: `#/$defs/${name}` });
const text = (maxLength: number): Schema => ({ type: 'string', maxLength });
const oneOf = (values: readonly string[]): Schema => ({ type: 'string', enum: values });
const closed = (properties: Record<string, Schema>, optional: readonly string[] = []): Schema => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});

/** Acceptance schema of the submit_policy arguments. `helpers` may be absent (answers from before small steps): read as []. */
export const ANSWER_SCHEMA: Schema = {
  $id: 'answer',
  $defs: DEFS,
  ...closed(
    {
      plan: closed({
        summary: ref('prose'),
        resources: { type: 'array', maxItems: B.names, items: closed({ group: ref('name'), version: ref('name'), resource: ref('name') }) },
        operations: ref('names'),
        namespaces: ref('names'),
        denies: ref('prose'),
        allows: ref('prose'),
        mutates: ref('prose'),
      }),
      helpers: {
        type: 'array',
        default: [],
        maxItems: B.helpers,
        items: closed({
          function: ref('name'),
          description: ref('prose'),
          code: text(B.helperCode),
          reusable: { type: 'boolean' },
          tests: {
            type: 'array',
            maxItems: B.helperTests,
            items: closed({ name: ref('name'), call: text(B.call), request: ref('requestJson'), expect: oneOf(['truthy', 'falsy', 'throws']), detail: ref('detail') }),
          },
        }),
      },
      policy: closed({
        type: oneOf(['Validating', 'Mutating']),
        operations: ref('names'),
        resources: ref('names'),
        apiGroups: ref('names'),
        apiVersions: ref('names'),
        scope: oneOf(['Namespaced', 'Cluster', '*']),
        objectSelector: text(B.selectorJson),
        // Not blank: a policy that does nothing is not an answer.
        javascript: { type: 'string', maxLength: B.javascript, pattern: '\\S' },
      }),
      tests: {
        type: 'array',
        maxItems: B.tests,
        items: closed({ name: ref('name'), request: ref('requestJson'), expect: oneOf(['allow', 'deny', 'mutate']), detail: ref('detail') }),
      },
    },
    ['helpers'],
  ),
};

/** policy.objectSelector, parsed: a metav1.LabelSelector. */
export const SELECTOR_SCHEMA: Schema = {
  $id: 'selector',
  type: 'object',
  additionalProperties: false,
  properties: {
    matchLabels: { type: 'object', maxProperties: B.names, propertyNames: { maxLength: B.name }, additionalProperties: text(63) },
    matchExpressions: {
      type: 'array',
      maxItems: B.names,
      items: closed({ key: text(B.name), operator: oneOf(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: { type: 'array', maxItems: 64, items: text(63) } }, ['values']),
    },
  },
};

const groupVersion = (last: 'kind' | 'resource'): Schema => closed({ group: { type: 'string' }, version: { type: 'string' }, [last]: { type: 'string' } });

/** helpers[].tests[].request, parsed: part of an AdmissionRequest (a bare CREATE fills the rest). */
export const HELPER_REQUEST_SCHEMA: Schema = {
  $id: 'helperRequest',
  type: 'object',
  properties: {
    operation: oneOf(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']),
    kind: groupVersion('kind'),
    resource: groupVersion('resource'),
    subResource: { type: 'string' },
    name: { type: 'string' },
    namespace: { type: 'string' },
    object: { type: ['object', 'null'] },
    oldObject: { type: ['object', 'null'] },
    userInfo: { type: 'object' },
    dryRun: { type: 'boolean' },
  },
};

/** tests[].request, parsed: an AdmissionRequest (other fields, uid and options among them, pass). */
export const REQUEST_SCHEMA: Schema = { $id: 'request', type: 'object', allOf: [{ $ref: 'helperRequest' }], required: ['operation', 'kind', 'resource'] };

/** Keywords strict servers refuse, or that mean nothing to a model: kept for acceptance only. */
const ACCEPTANCE_ONLY = new Set(['$id', '$defs', 'maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'propertyNames', 'pattern', 'default']);

/**
 * The schema the model is given: the acceptance schema without its bounds, its $defs inlined,
 * every property required (OpenAI's strict mode wants that), helpers included.
 */
export function modelSchema(schema: Schema = ANSWER_SCHEMA, defs = (schema.$defs ?? {}) as Record<string, Schema>): Schema {
  const target = typeof schema.$ref === 'string' ? defs[schema.$ref.replace('#/$defs/', '')] ?? {} : schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(target)) {
    if (ACCEPTANCE_ONLY.has(key)) continue;
    if (key === 'required') out.required = Object.keys(target.properties as Schema);
    else if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([name, sub]) => [name, modelSchema(sub, defs)]));
    else if (key === 'items') out.items = modelSchema(value as Schema, defs);
    else out[key] = value;
  }
  return out;
}
