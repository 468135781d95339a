import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ControllerConfig } from '../controller/config.ts';
import { classifyReply, type ModelReply } from '../model/classify-response.ts';
import type { Platform } from './platform.ts';

/**
 * One chat-completions call through fetchSync. fetchSync has no timeout of its own and jsPolicy
 * cannot interrupt it, so the answer is bounded by max tokens and the endpoint must time out by
 * itself (README, "Models"). The key only ever travels in the Authorization header: anything the
 * server sends back is scrubbed of it before it can reach a log or a status.
 */
export function callModel(platform: Platform, config: ControllerConfig, body: ChatCompletionCreateParamsNonStreaming): ModelReply {
  const scrub = (text: string): string => text.split(config.apiKey).join('[redacted]');
  let reply: ModelReply;
  try {
    const response = platform.fetch(`${config.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${config.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    reply = classifyReply({ status: response.status, headers: response.headers, body: response.text() }, platform.now());
  } catch (thrown) {
    reply = classifyReply({ transportError: String(thrown) }, platform.now());
  }
  return reply.kind === 'completion' ? reply : { ...reply, message: scrub(reply.message) };
}
