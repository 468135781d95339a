import type { ChatCompletion } from 'openai/resources/chat/completions';
import { ANSWER_TOOL_NAME, type ModelAnswer } from './answer.ts';

export type ParsedAnswer = { ok: true; answer: ModelAnswer; raw: string } | { ok: false; reason: 'MalformedAnswer'; message: string; raw?: string };

/**
 * Reads the model's answer from a chat completion: the submit_policy tool call when there is one,
 * else JSON in the message content (servers that ignore forced tool_choice answer that way).
 */
export function parseAnswer(completion: ChatCompletion): ParsedAnswer {
  const message = completion.choices?.[0]?.message;
  if (!message) return malformed('the response has no choices[0].message');
  const call = message.tool_calls?.find((c) => c.type === 'function' && c.function.name === ANSWER_TOOL_NAME);
  const raw = call && call.type === 'function' ? call.function.arguments : extractJson(message.content ?? '');
  if (raw === undefined) return malformed(`no ${ANSWER_TOOL_NAME} tool call and no JSON object in the message content`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return malformed(`the ${ANSWER_TOOL_NAME} arguments are not valid JSON (${String(e)})`, raw);
  }
  const problem = shapeProblem(value);
  return problem ? malformed(problem, raw) : { ok: true, answer: value as ModelAnswer, raw };
}

function malformed(message: string, raw?: string): ParsedAnswer {
  return { ok: false, reason: 'MalformedAnswer', message, raw };
}

// A fenced ```json block, else the outermost {...} of the text.
function extractJson(content: string): string | undefined {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(content);
  if (fenced?.[1]) return fenced[1].trim();
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  return start >= 0 && end > start ? content.slice(start, end + 1) : undefined;
}

type Check = [path: string, test: (v: unknown) => boolean, expected: string];

const isString = (v: unknown): boolean => typeof v === 'string';
const isStringArray = (v: unknown): boolean => Array.isArray(v) && v.every(isString);
const isObject = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);

const CHECKS: Check[] = [
  ['plan', isObject, 'an object'],
  ['plan.resources', Array.isArray, 'an array of {group, version, resource}'],
  ['plan.operations', isStringArray, 'an array of strings'],
  ['plan.namespaces', isStringArray, 'an array of strings'],
  ['policy', isObject, 'an object'],
  ['policy.type', (v) => v === 'Validating' || v === 'Mutating', '"Validating" or "Mutating"'],
  ['policy.operations', isStringArray, 'an array of strings'],
  ['policy.resources', isStringArray, 'an array of strings'],
  ['policy.apiGroups', isStringArray, 'an array of strings'],
  ['policy.apiVersions', isStringArray, 'an array of strings'],
  ['policy.javascript', (v) => typeof v === 'string' && v.trim() !== '', 'a non-empty string'],
  ['tests', Array.isArray, 'an array of test cases'],
  ['helpers', (v) => v === undefined || (Array.isArray(v) && v.every((h) => isObject(h) && typeof (h as { function?: unknown }).function === 'string' && typeof (h as { code?: unknown }).code === 'string' && Array.isArray((h as { tests?: unknown }).tests))), 'an array of {function, description, code, reusable, tests} (or [])'],
];

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (isObject(v) ? (v as Record<string, unknown>)[key] : undefined), value);
}

/** The first field that does not have the shape ModelAnswer needs, named for the model to fix. */
function shapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'the answer must be a JSON object with plan, policy and tests';
  for (const [path, test, expected] of CHECKS) {
    if (!test(at(value, path))) return `${path} must be ${expected}`;
  }
  return undefined;
}
