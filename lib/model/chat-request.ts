import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ANSWER_TOOL, ANSWER_TOOL_NAME } from './answer.ts';
import { SYSTEM_PROMPT, intentMessage } from './prompt.ts';
import type { FeedbackTurn } from '../gptpolicy/types.ts';

/**
 * How to ask for the structured answer. Servers differ: OpenAI accepts a forced tool choice,
 * several local OpenAI-compatible servers accept tools but not a forced choice ("auto"), and some
 * accept no tools at all ("none": the answer comes as JSON in the message content).
 */
export type ToolMode = 'force' | 'auto' | 'none';

export interface ModelSettings {
  model: string;
  /** Upper bound on the answer: keeps a run inside the controller's timeout. */
  maxTokens: number;
  /** OpenAI's newer models want max_completion_tokens; many other servers only know max_tokens. */
  maxTokensParam: 'max_completion_tokens' | 'max_tokens';
  toolMode: ToolMode;
}


const JSON_ONLY = `\nAnswer with one JSON object {"plan":…,"policy":…,"tests":…} in the message content, nothing else.`;

export function buildMessages(description: string, turns: readonly FeedbackTurn[], toolMode: ToolMode, skills = ''): ChatCompletionMessageParam[] {
  const system = toolMode === 'none' ? SYSTEM_PROMPT + JSON_ONLY : SYSTEM_PROMPT;
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: system },
    { role: 'user', content: intentMessage(description, skills) },
  ];
  turns.forEach((turn, i) => {
    const id = `call_${i + 1}`;
    if (toolMode === 'none') {
      messages.push({ role: 'assistant', content: turn.answer });
      messages.push({ role: 'user', content: turn.feedback });
      return;
    }
    messages.push({ role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: ANSWER_TOOL_NAME, arguments: turn.answer } }] });
    messages.push({ role: 'tool', tool_call_id: id, content: turn.feedback });
  });
  return messages;
}

/** The chat-completions request body for one attempt. */
export function buildChatRequest(settings: ModelSettings, messages: ChatCompletionMessageParam[]): ChatCompletionCreateParamsNonStreaming {
  // No temperature: reasoning models reject any but the default.
  const body: ChatCompletionCreateParamsNonStreaming = { model: settings.model, messages };
  body[settings.maxTokensParam] = settings.maxTokens;
  if (settings.toolMode !== 'none') {
    body.tools = [ANSWER_TOOL];
    body.tool_choice = settings.toolMode === 'force' ? { type: 'function', function: { name: ANSWER_TOOL_NAME } } : 'auto';
  }
  return body;
}
