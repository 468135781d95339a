import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ControllerConfig } from '../controller/config.ts';
import { classifyReply, type ModelReply } from '../model/classify-response.ts';
import { keyScrubber, scrubMessage } from '../model/scrub.ts';
import type { Platform } from './platform.ts';

/**
 * One chat-completions call through fetchSync. fetchSync has no timeout of its own and jsPolicy
 * cannot interrupt it, so the answer is bounded by max tokens and the endpoint must time out by
 * itself (README, "Models"). The key only ever travels in the Authorization header: everything the
 * server sends back — the completion included, and a transport error's text — is scrubbed of it in
 * every form (lib/model/scrub.ts) before anything parses, stores, logs or resends it.
 */
export function callModel(platform: Platform, config: ControllerConfig, body: ChatCompletionCreateParamsNonStreaming): ModelReply {
  const scrub = keyScrubber(config.apiKey);
  let reply: ModelReply;
  try {
    const response = platform.fetch(`${config.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${config.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = response.text();
    reply = classifyReply({ status: response.status, headers: response.headers ?? {}, body: typeof text === 'string' ? scrub(text) : undefined }, platform.now());
  } catch (thrown) {
    reply = classifyReply({ transportError: scrub(String(thrown)) }, platform.now());
  }
  return reply.kind === 'completion' ? reply : { ...reply, message: scrubMessage(reply.message, config.apiKey, scrub) };
}
