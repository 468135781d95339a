// Section 4 — what the controller sends a model, in tokens (js-tiktoken, o200k_base: the GPT-4o /
// GPT-4.1 family's encoding), and how many calls an intent change costs when the model is right the
// first time, wrong then right, or never right. The requests are the ones the built controller
// actually sent to the fake model (model.requests()), not rebuilt here.
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import type { GPTPolicy } from '../lib/gptpolicy/types.ts';
import { SYSTEM_PROMPT } from '../lib/model/prompt.ts';
import type { ScriptedReply } from '../tools/fake-model/index.ts';
import { figure, failedFigure, type Section } from './report.ts';
import { prototypeFunctions, prototypeSystemPrompt, prototypeUserMessage } from './prototype.ts';
import { answered, GP_API_VERSION, gptPolicy, IAM_INTENT, iamPolicyCrd, iamRightAnswer, iamWrongAnswer } from './scenarios.ts';
import { describeReady, errorLines, startOurs } from './setup.ts';

let encoder: Tiktoken | undefined;

export function countTokens(text: string): number {
  encoder ??= new Tiktoken(o200kBase);
  return encoder.encode(text).length;
}

interface ChatMessage {
  role: string;
  content?: string | null | Array<{ type: string; text?: string }>;
  name?: string;
  tool_calls?: Array<{ function?: { name?: string; arguments?: string } }>;
  tool_call_id?: string;
}

/**
 * Tokens of a chat request's messages, counted as OpenAI's cookbook does for the GPT-4o family:
 * 3 per message + its role and content (tool calls: name and arguments) + 3 priming the reply.
 */
export function messagesTokens(messages: readonly ChatMessage[]): number {
  let total = 3;
  for (const m of messages) {
    total += 3 + countTokens(m.role);
    if (typeof m.content === 'string') total += countTokens(m.content);
    else if (Array.isArray(m.content)) for (const part of m.content) total += countTokens(part.text ?? '');
    if (m.name) total += 1 + countTokens(m.name);
    for (const call of m.tool_calls ?? []) total += countTokens(call.function?.name ?? '') + countTokens(call.function?.arguments ?? '');
  }
  return total;
}

/** Tools (or legacy functions) as JSON: an approximation of what the server renders into the prompt. */
export function toolsTokens(tools: unknown): number {
  return tools === undefined ? 0 : countTokens(JSON.stringify(tools));
}

interface RequestBody {
  messages?: ChatMessage[];
  tools?: unknown;
}

interface ScenarioRun {
  calls: number;
  promptTokens: number[];
  ready: string;
  readyTrue: boolean;
  reason?: string;
  firstBody?: RequestBody;
  log: string[];
}

async function runScenario(script: ScriptedReply[], repeatLast: boolean): Promise<ScenarioRun> {
  const ours = await startOurs(script, { objects: [iamPolicyCrd()], repeatLast });
  try {
    ours.local.apply(gptPolicy('deny-project-iam', IAM_INTENT));
    ours.local.settle({ maxRuns: 200 });
    const bodies = (await ours.model.requests()).map((r) => r.body as RequestBody);
    const gp = ours.local.get<GPTPolicy>(GP_API_VERSION, 'GPTPolicy', 'deny-project-iam');
    const ready = gp?.status?.conditions?.find((c) => c.type === 'Ready');
    return {
      calls: bodies.length,
      promptTokens: bodies.map((b) => messagesTokens(b.messages ?? []) + toolsTokens(b.tools)),
      ready: describeReady(gp),
      readyTrue: ready?.status === 'True',
      reason: ready?.reason,
      firstBody: bodies[0],
      log: errorLines(ours.logs),
    };
  } finally {
    await ours.close();
  }
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export async function benchPrompt(section: Section): Promise<void> {
  // The prototype's prompt as reconstructed (the post lost some of its lines, so this is a lower bound).
  const protoSystem = prototypeSystemPrompt();
  const protoMessages: ChatMessage[] = [
    { role: 'system', content: protoSystem },
    { role: 'user', content: prototypeUserMessage('deny-project-iam', '00000000-0000-4000-8000-000000000000') },
  ];
  const protoFunctions = prototypeFunctions();
  const protoFirst = messagesTokens(protoMessages) + toolsTokens(protoFunctions);

  section.figures.push(figure('system prompt alone', 'tokens', countTokens(SYSTEM_PROMPT), countTokens(protoSystem), { referenceLabel: 'prototype (as posted; lines lost in the post not counted)' }));

  const scenarios: Array<{ id: string; label: string; script: ScriptedReply[]; repeatLast: boolean; calls: number; ready: boolean }> = [
    { id: 'a', label: 'right first time', script: [answered(iamRightAnswer())], repeatLast: false, calls: 1, ready: true },
    { id: 'b', label: 'wrong then right (apiGroups configconnector.cnrm… for iampolicies)', script: [answered(iamWrongAnswer()), answered(iamRightAnswer())], repeatLast: false, calls: 2, ready: true },
    { id: 'c', label: 'never right (attempt budget exhausted)', script: [answered(iamWrongAnswer())], repeatLast: true, calls: 3, ready: false },
  ];
  const runs = new Map<string, ScenarioRun>();
  for (const s of scenarios) {
    try {
      runs.set(s.id, await runScenario(s.script, s.repeatLast));
    } catch (error) {
      section.failures.push(`scenario (${s.id}) ${s.label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const a = runs.get('a');
  const first = a?.firstBody;
  if (first) {
    section.figures.push(
      figure('first attempt: messages', 'tokens', messagesTokens(first.messages ?? []), messagesTokens(protoMessages), { referenceLabel: 'prototype system + user message', note: `${first.messages?.length ?? 0} messages; 3 per message + 3 reply priming` }),
      figure('first attempt: tool schema (JSON)', 'tokens', toolsTokens(first.tools), toolsTokens(protoFunctions), { referenceLabel: "prototype's functions[]", note: 'approximate: servers render tools their own way' }),
      figure('first attempt: whole prompt', 'tokens', messagesTokens(first.messages ?? []) + toolsTokens(first.tools), protoFirst, { referenceLabel: 'prototype' }),
    );
  } else {
    section.figures.push(failedFigure('first attempt: whole prompt', 'tokens', 'the controller sent no request to the fake model', { reference: protoFirst }));
  }

  const base = a ? sum(a.promptTokens) : null;
  for (const s of scenarios) {
    const run = runs.get(s.id);
    if (!run) {
      section.figures.push(failedFigure(`(${s.id}) ${s.label}: model calls per intent change`, 'calls', 'scenario did not run'));
      continue;
    }
    const problems: string[] = [];
    if (run.calls !== s.calls) problems.push(`expected ${s.calls} calls, the controller made ${run.calls}`);
    if (run.readyTrue !== s.ready) problems.push(`expected Ready=${s.ready ? 'True' : 'False'}, got ${run.ready}`);
    if (problems.length > 0 && run.log.length > 0) problems.push(`controller log: ${run.log.join(' | ')}`);
    const failure = problems.length > 0 ? problems.join('; ') : undefined;
    section.figures.push(
      figure(`(${s.id}) ${s.label}: model calls per intent change`, 'calls', run.calls, a ? a.calls : null, { referenceLabel: '(a)', note: run.ready, ...(failure ? { failure } : {}) }),
      figure(`(${s.id}) all attempts: prompt tokens`, 'tokens', sum(run.promptTokens), base, { referenceLabel: '(a)', note: `per call: ${run.promptTokens.join(' + ')}` }),
    );
  }
  section.notes.push(
    `intent (all scenarios): "${IAM_INTENT}" with Config Connector's IAMPolicy CRD (iam.cnrm.cloud.google.com) installed; the wrong answer is the prototype's flaw from the post`,
    'prompt tokens only (what the model reads); the fake model\'s answers are not counted',
  );
}
