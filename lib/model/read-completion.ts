// The transport stage of the answer pipeline: where in a chat completion the answer is, read from
// whatever shape the server sent (strict servers never send most of these; non-strict ones and
// proxies do). Never throws; every value is type-checked before it is used.
import { ANSWER_TOOL_NAME } from './answer.ts';
import { describeJson } from './bounded-json.ts';

export type AnswerText =
  | { ok: true; text: string; coercions: string[] }
  | { ok: false; problem: string; coercions: string[] };

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The answer's JSON text: the submit_policy tool call's arguments when there is one, else JSON in
 * the message content (servers without tools, or that ignore a forced tool choice). Documented
 * coercions: `tool_calls` as one object is read as a list of one; calls to other tools are ignored;
 * several submit_policy calls with the same arguments count as one; `function.arguments` as an
 * object is used as is; content as a list of parts is read as their text. The same for another
 * tool (`toolName`: a PolicyGoal's propose_next, lib/goal/proposal.ts).
 */
export function answerTextOf(completion: unknown, toolName: string = ANSWER_TOOL_NAME): AnswerText {
  const coercions: string[] = [];
  const fail = (problem: string): AnswerText => ({ ok: false, problem, coercions });
  if (!isRecord(completion)) return fail(`expected a chat completion object, got ${describeJson(completion)}`);
  const choices = completion.choices;
  if (!Array.isArray(choices) || choices.length === 0) return fail(`choices: expected a list with one choice, got ${describeJson(choices)}`);
  const choice = choices[0];
  const message = isRecord(choice) ? choice.message : undefined;
  if (!isRecord(message)) return fail(`choices[0].message: expected an object, got ${describeJson(message)}`);

  let calls: unknown[] = [];
  const toolCalls = message.tool_calls;
  if (Array.isArray(toolCalls)) calls = toolCalls;
  else if (isRecord(toolCalls)) {
    calls = [toolCalls];
    coercions.push('tool_calls was one object: read as a list of one');
  } else if (toolCalls !== undefined && toolCalls !== null) coercions.push(`tool_calls was ${describeJson(toolCalls)}: ignored`);

  const functionOf = (call: unknown): Record<string, unknown> | undefined => (isRecord(call) && isRecord(call.function) ? call.function : undefined);
  const ours = calls.filter((c) => functionOf(c)?.name === toolName);
  const others = calls.filter((c) => functionOf(c)?.name !== toolName).map((c) => String(functionOf(c)?.name ?? describeJson(c)).slice(0, 60));
  if (others.length > 0) coercions.push(`ignored ${others.length} call(s) to other tools: ${others.slice(0, 3).join(', ')}`);

  if (ours.length > 0) {
    const texts: string[] = [];
    for (let i = 0; i < ours.length; i++) {
      const args = functionOf(ours[i])?.arguments;
      if (typeof args === 'string') texts.push(args);
      else if (isRecord(args) || Array.isArray(args)) {
        const text = stringify(args);
        if (text === undefined) return fail(`${toolName} function.arguments: an object too deeply nested to read`);
        texts.push(text);
        coercions.push(`${toolName} function.arguments was ${describeJson(args)}, not a JSON string: used as is`);
      } else return fail(`${toolName} function.arguments: expected the answer as a JSON string, got ${describeJson(args)}`);
    }
    if (new Set(texts).size > 1) return fail(`tool_calls: ${ours.length} ${toolName} calls with different arguments; call ${toolName} exactly once`);
    if (ours.length > 1) coercions.push(`${ours.length} identical ${toolName} calls: read as one`);
    return { ok: true, text: texts[0] as string, coercions };
  }

  const content = contentText(message.content);
  if (content !== undefined && message.content !== undefined && typeof message.content !== 'string') coercions.push('the message content was a list of parts: read as their text');
  const json = content === undefined ? undefined : extractJson(content);
  if (json !== undefined) return { ok: true, text: json, coercions };
  const called = others.length > 0 ? ` (it called ${others.slice(0, 3).join(', ')})` : '';
  return fail(`no ${toolName} tool call${called} and no JSON object in the message content`);
}

// A string, or the text parts of a list of content parts.
function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts = content.map((p) => (typeof p === 'string' ? p : isRecord(p) && typeof p.text === 'string' ? p.text : '')).join('');
  return parts === '' ? undefined : parts;
}

// A fenced ```json block, else the outermost {...} of the text.
function extractJson(content: string): string | undefined {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(content);
  if (fenced?.[1]) return fenced[1].trim();
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  return start >= 0 && end > start ? content.slice(start, end + 1) : undefined;
}

function stringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
