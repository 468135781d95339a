// The first stages of the answer pipeline, in the toolkit (off the no-op path): transport (where the
// answer is), parse (JSON, within a size and a nesting bound), validate (the acceptance schema,
// then the JSON carried in its strings). Nothing reads an answer before it passed all three; what
// fails becomes findings that name the path, what was expected and what came, and go back to the
// model as the next turn.
import type { ModelAnswer } from './answer.ts';
import { ANSWER_BOUNDS, ANSWER_SCHEMA, HELPER_REQUEST_SCHEMA, SELECTOR_SCHEMA } from './answer-schema.ts';
import { describeJson, parseJsonBounded, pathText, type JsonRead } from './bounded-json.ts';
import { validateAnswer, validateHelperRequest, validateRequest, validateSelector, type ValidationError, type Validator } from './generated/answer-validators.js';
import { answerTextOf } from './read-completion.ts';

export type AnswerStage = 'transport' | 'parse' | 'validate';

export type AnswerRead =
  /** `text`: the answer as validated (coercions applied), as JSON: what is kept and sent back. */
  | { ok: true; answer: ModelAnswer; text: string; coercions: string[] }
  /** `text`: what the model sent, when there was any. */
  | { ok: false; stage: AnswerStage; findings: string[]; text?: string; coercions: string[] };

/** Findings listed per answer: enough to fix in one round, never a wall of text. */
const MAX_FINDINGS = 12;

type Schema = Record<string, unknown>;

/** Transport, parse and validate: the model's answer from a chat completion of any shape. */
export function readAnswer(completion: unknown): AnswerRead {
  const found = answerTextOf(completion);
  if (!found.ok) return { ok: false, stage: 'transport', findings: [found.problem], coercions: found.coercions };
  const read = readAnswerText(found.text);
  return { ...read, coercions: [...found.coercions, ...read.coercions] };
}

/** Parse and validate: an answer's JSON text (a stored one, too). */
export function readAnswerText(text: string): AnswerRead {
  const parsed = parseJsonBounded(text, { maxChars: ANSWER_BOUNDS.answerChars, maxDepth: ANSWER_BOUNDS.answerDepth });
  if (!parsed.ok) return { ok: false, stage: 'parse', findings: [`(the answer): expected one JSON object of at most ${ANSWER_BOUNDS.answerChars} characters, nested at most ${ANSWER_BOUNDS.answerDepth} deep; it is ${parsed.problem}`], text, coercions: [] };
  const value = parsed.value;
  const findings = schemaFindings(validateAnswer, value, ANSWER_SCHEMA);
  if (findings.length === 0) findings.push(...embeddedFindings(value as ModelAnswer));
  if (findings.length > 0) return { ok: false, stage: 'validate', findings: capped(findings), text, coercions: [] };
  return { ok: true, answer: value as ModelAnswer, text: JSON.stringify(value), coercions: [] };
}

const EMBEDDED = { maxChars: ANSWER_BOUNDS.requestJson, maxDepth: ANSWER_BOUNDS.embeddedDepth };

/** tests[].request: an AdmissionRequest as JSON, parsed within bounds and checked. The sandbox's self-tests read requests with this. */
export function readAdmissionRequest(text: string): { ok: true; request: Record<string, unknown> } | { ok: false; problem: string } {
  return readEmbedded(text, validateRequest, 'an AdmissionRequest as JSON');
}

/** helpers[].tests[].request: part of an AdmissionRequest as JSON, or "" for a bare CREATE. */
export function readHelperRequest(text: string): { ok: true; request: Record<string, unknown> } | { ok: false; problem: string } {
  if (text.trim() === '') return { ok: true, request: {} };
  return readEmbedded(text, validateHelperRequest, 'part of an AdmissionRequest as JSON, or ""');
}

/** Any JSON carried in a string (a mutation's expected subset), within the embedded bounds. */
export function readJsonText(text: string): JsonRead {
  return parseJsonBounded(text, EMBEDDED);
}

function readEmbedded(text: string, validate: Validator, what: string): { ok: true; request: Record<string, unknown> } | { ok: false; problem: string } {
  const parsed = parseJsonBounded(text, EMBEDDED);
  if (!parsed.ok) return { ok: false, problem: `expected ${what}; it is ${parsed.problem}` };
  const findings = schemaFindings(validate, parsed.value, HELPER_REQUEST_SCHEMA);
  if (findings.length > 0) return { ok: false, problem: capped(findings).join('; ') };
  return { ok: true, request: parsed.value as Record<string, unknown> };
}

// The JSON inside the answer's strings, once the answer itself has the right shape.
function embeddedFindings(answer: ModelAnswer): string[] {
  const findings: string[] = [];
  const selector = answer.policy.objectSelector;
  if (selector.trim() !== '') {
    const parsed = parseJsonBounded(selector, { maxChars: ANSWER_BOUNDS.selectorJson, maxDepth: 6 });
    if (!parsed.ok) findings.push(`policy.objectSelector: expected a LabelSelector as JSON, or ""; it is ${parsed.problem}`);
    else findings.push(...schemaFindings(validateSelector, parsed.value, SELECTOR_SCHEMA, 'policy.objectSelector'));
  }
  answer.tests.forEach((testCase, i) => {
    const request = readAdmissionRequest(testCase.request);
    if (!request.ok) findings.push(`tests[${i}].request: ${request.problem}`);
    if (testCase.expect === 'mutate' && testCase.detail.trim() !== '') {
      const detail = readJsonText(testCase.detail);
      if (!detail.ok) findings.push(`tests[${i}].detail: expected a JSON object (a subset of the mutated object), or ""; it is ${detail.problem}`);
      else if (detail.value === null || typeof detail.value !== 'object' || Array.isArray(detail.value)) {
        findings.push(`tests[${i}].detail: expected a JSON object (a subset of the mutated object), or "", got ${describeJson(detail.value)}`);
      }
    }
  });
  (answer.helpers ?? []).forEach((helper, h) =>
    helper.tests.forEach((testCase, t) => {
      const request = readHelperRequest(testCase.request);
      if (!request.ok) findings.push(`helpers[${h}].tests[${t}].request: ${request.problem}`);
    }),
  );
  return findings;
}

function capped(findings: string[]): string[] {
  return findings.length <= MAX_FINDINGS ? findings : [...findings.slice(0, MAX_FINDINGS), `… and ${findings.length - MAX_FINDINGS} more`];
}

/** Runs a generated validator; its errors as findings "path: expected …, got …". */
function schemaFindings(validate: Validator, value: unknown, root: Schema, within?: string): string[] {
  if (validate(value)) return [];
  const findings: string[] = [];
  for (const error of validate.errors ?? []) {
    const finding = describeError(error, value, root);
    if (finding !== undefined && !findings.includes(finding)) findings.push(within ? `${within}: ${finding}` : finding);
  }
  return findings.length > 0 ? findings : [`${within ?? '(the answer)'}: does not match the schema`];
}

function describeError(error: ValidationError, data: unknown, root: Schema): string | undefined {
  const segments = pointerSegments(error.instancePath);
  const params = error.params;
  const got = (): string => describeJson(valueAt(data, segments));
  switch (error.keyword) {
    case 'required': {
      const missing = [...segments, String(params.missingProperty)];
      const schema = schemaAt(root, missing);
      return `${pathText(missing)}: expected ${schema ? describeSchema(schema, root) : 'a value'}, got nothing (it is missing)`;
    }
    case 'maxLength':
      return `${pathText(segments)}: expected at most ${String(params.limit)} characters, got ${got()}`;
    case 'maxItems':
      return `${pathText(segments)}: expected at most ${String(params.limit)} items, got ${got()}`;
    case 'maxProperties':
      return `${pathText(segments)}: expected at most ${String(params.limit)} entries, got ${got()}`;
    case 'propertyNames':
      return `${pathText(segments)}: expected keys of at most ${ANSWER_BOUNDS.name} characters, got the key ${describeJson(params.propertyName)}`;
    case 'pattern':
      return `${pathText(segments)}: expected a string that is not blank, got ${got()}`;
    case 'type':
    case 'enum': {
      const schema = schemaAt(root, segments);
      return `${pathText(segments)}: expected ${schema ? describeSchema(schema, root) : String(params.type ?? 'another value')}, got ${got()}`;
    }
    default:
      // Wrappers ($ref, allOf) repeat what the keywords inside them already said.
      return undefined;
  }
}

function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(data: unknown, segments: readonly (string | number)[]): unknown {
  let value = data;
  for (const s of segments) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[s];
  }
  return value;
}

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref === 'string') return resolve(ref.startsWith('#/$defs/') ? (((root.$defs as Record<string, Schema> | undefined) ?? {})[ref.slice(8)] ?? {}) : ref === 'helperRequest' ? HELPER_REQUEST_SCHEMA : {}, root);
  return schema;
}

function schemaAt(root: Schema, segments: readonly (string | number)[]): Schema | undefined {
  let schema: Schema | undefined = resolve(root, root);
  for (const s of segments) {
    if (!schema) return undefined;
    const items = schema.items as Schema | undefined;
    const properties = schema.properties as Record<string, Schema> | undefined;
    const extra: unknown = schema.additionalProperties;
    const next: Schema | undefined = typeof s === 'number' ? items : properties?.[s] ?? (extra && typeof extra === 'object' ? (extra as Schema) : undefined);
    schema = next ? resolve(next, root) : undefined;
  }
  return schema;
}

/** What a schema asks for, in words: `a string of at most 253 characters`, `an object {group, version, resource}`. */
export function describeSchema(schema: Schema, root: Schema = ANSWER_SCHEMA): string {
  const s = resolve(schema, root);
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const type = s.type;
  if (Array.isArray(type)) return type.map((t) => describeSchema({ type: t }, root)).join(' or ');
  switch (type) {
    case 'string':
      return `a string${typeof s.maxLength === 'number' ? ` of at most ${s.maxLength} characters` : ''}${s.pattern === '\\S' ? ' that is not blank' : ''}`;
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array': {
      const items = s.items ? describeSchema(s.items as Schema, root) : 'anything';
      return `a list${typeof s.maxItems === 'number' ? ` of at most ${s.maxItems} items` : ''}, each ${items}`;
    }
    case 'object': {
      const properties = Object.keys((s.properties as Schema | undefined) ?? {});
      return properties.length > 0 ? `an object {${properties.join(', ')}}` : 'an object';
    }
    default:
      return 'a value';
  }
}
