import type { ModelSettings, ToolMode } from '../model/chat-request.ts';

/**
 * Everything the controller is configured with. Read at the moment a model call is due (never on
 * a no-op event): the API key from a Secret in jsPolicy's namespace, the rest from that Secret or
 * from jsPolicy's environment (Helm values), so changing model or endpoint needs no rebuild.
 */
export interface ControllerConfig {
  apiKey: string;
  /** OpenAI-compatible base URL, ending before /chat/completions. */
  baseUrl: string;
  model: ModelSettings;
  jsPolicyNamespace: string;
  /** Namespaces the cluster admin adds to those no generated policy may reach. */
  extraProtectedNamespaces: string[];
}

export const DEFAULT_SECRET_NAME = 'gptpolicy-openai';
export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_MODEL = 'gpt-4.1-mini';
export const DEFAULT_MAX_TOKENS = 4000;

export type ConfigResult = { ok: true; config: ControllerConfig } | { ok: false; reason: 'NoApiKey' | 'BadConfig'; message: string };

/**
 * Builds the configuration from env() and the Secret's decoded data. Settings in the Secret win
 * over the environment; the GPTPolicy's spec.model wins over both.
 */
export function parseConfig(env: (name: string) => string, secret: Record<string, string> | undefined, where: { secretName: string; namespace: string; specModel?: string }): ConfigResult {
  const pick = (name: string): string => (secret?.[name] ?? '').trim() || env(name).trim();
  const apiKey = (secret?.OPENAI_API_KEY ?? '').trim();
  if (!apiKey) {
    const missing = secret ? `has no OPENAI_API_KEY key` : `does not exist`;
    return {
      ok: false,
      reason: 'NoApiKey',
      message: `Secret ${where.namespace}/${where.secretName} ${missing}: create it with kubectl -n ${where.namespace} create secret generic ${where.secretName} --from-literal=OPENAI_API_KEY=...`,
    };
  }
  const maxTokens = env('GPTPOLICY_MAX_TOKENS').trim() === '' ? DEFAULT_MAX_TOKENS : Number(env('GPTPOLICY_MAX_TOKENS'));
  if (!Number.isInteger(maxTokens) || maxTokens < 256) {
    return { ok: false, reason: 'BadConfig', message: `GPTPOLICY_MAX_TOKENS must be an integer ≥ 256, got ${JSON.stringify(env('GPTPOLICY_MAX_TOKENS'))}` };
  }
  const param = env('GPTPOLICY_MAX_TOKENS_PARAM').trim() || 'max_completion_tokens';
  if (param !== 'max_completion_tokens' && param !== 'max_tokens') {
    return { ok: false, reason: 'BadConfig', message: `GPTPOLICY_MAX_TOKENS_PARAM must be max_completion_tokens or max_tokens, got ${JSON.stringify(param)}` };
  }
  const toolMode = env('GPTPOLICY_TOOL_MODE').trim() || 'force';
  if (toolMode !== 'force' && toolMode !== 'auto' && toolMode !== 'none') {
    return { ok: false, reason: 'BadConfig', message: `GPTPOLICY_TOOL_MODE must be force, auto or none, got ${JSON.stringify(toolMode)}` };
  }
  return {
    ok: true,
    config: {
      apiKey,
      baseUrl: (pick('OPENAI_BASE_URL') || DEFAULT_BASE_URL).replace(/\/+$/, ''),
      model: { model: where.specModel || pick('OPENAI_MODEL') || DEFAULT_MODEL, maxTokens, maxTokensParam: param, toolMode: toolMode as ToolMode },
      jsPolicyNamespace: where.namespace,
      extraProtectedNamespaces: splitList(env('GPTPOLICY_PROTECTED_NAMESPACES')),
    },
  };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
