// The curriculum's one model answer per step: the next sub-intent, or a verdict on the goal. Like
// every model answer it is hostile input (the goal's text is its author's, and through it every
// byte the model writes): read from any completion shape, parsed within bounds, checked against a
// closed schema with bounds, total on any value.
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { describeJson, parseJsonBounded } from '../model/bounded-json.ts';
import { answerTextOf } from '../model/read-completion.ts';
import { isNamespaceName } from '../k8s/names.ts';

export const PROPOSAL_TOOL_NAME = 'propose_next';

export const PROPOSAL_BOUNDS = {
  maxChars: 8 * 1024,
  maxDepth: 3,
  reason: 1000,
  intentMin: 10,
  intent: 1000,
  namespaces: 32,
  name: 253,
};

export type Verdict = 'next' | 'met' | 'unreachable';

export interface Proposal {
  verdict: Verdict;
  reason: string;
  /** For "next": one policy's intent, in plain language. */
  intent: string;
  /** For "next": the namespaces it applies to, [] for all of the goal's. */
  namespaces: string[];
  /** For "next": the failed child this intent replaces, or "". */
  retry: string;
}

/** Closed, every property required: what OpenAI's strict mode accepts. */
const PROPOSAL_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['verdict', 'reason', 'intent', 'namespaces', 'retry'],
  properties: {
    verdict: { type: 'string', enum: ['next', 'met', 'unreachable'] },
    reason: { type: 'string', description: 'One or two sentences: what the next child adds, or why the goal is met or unreachable.' },
    intent: { type: 'string', description: 'For "next": one admission policy intent in one sentence, naming the resources and what it denies or mutates, no namespace; else "".' },
    namespaces: { type: 'array', items: { type: 'string' }, description: "For \"next\": those of the goal's namespaces it applies to; [] for all of them." },
    retry: { type: 'string', description: 'For "next": the name of a failed child this intent replaces, else "".' },
  },
};

export const PROPOSAL_TOOL: ChatCompletionFunctionTool = {
  type: 'function',
  function: { name: PROPOSAL_TOOL_NAME, description: 'Propose the next sub-intent of the goal, or say it is met or unreachable.', strict: true, parameters: PROPOSAL_SCHEMA },
};

export type ProposalRead = { ok: true; proposal: Proposal; coercions: string[] } | { ok: false; problem: string };

const DNS_NAME = /^[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$/;

/** The proposal in a chat completion of any shape, or the first problem: where, what was expected, what came. */
export function readProposal(completion: unknown): ProposalRead {
  const text = answerTextOf(completion, PROPOSAL_TOOL_NAME);
  if (!text.ok) return { ok: false, problem: text.problem };
  const json = parseJsonBounded(text.text, PROPOSAL_BOUNDS);
  if (!json.ok) return { ok: false, problem: `the ${PROPOSAL_TOOL_NAME} arguments: ${json.problem}` };
  const checked = checkProposal(json.value);
  return checked.ok ? { ...checked, coercions: text.coercions } : checked;
}

/** Total on any value; unknown properties are dropped, a verdict other than "next" needs no intent. */
export function checkProposal(value: unknown): { ok: true; proposal: Proposal } | { ok: false; problem: string } {
  const fail = (path: string, expected: string, got: unknown) => ({ ok: false as const, problem: `${path}: expected ${expected}, got ${describeJson(got)}` });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('(answer)', 'an object', value);
  const v = value as Record<string, unknown>;
  const verdict = v.verdict;
  if (verdict !== 'next' && verdict !== 'met' && verdict !== 'unreachable') return fail('verdict', '"next", "met" or "unreachable"', verdict);
  const reason = v.reason ?? '';
  if (typeof reason !== 'string' || reason.length > PROPOSAL_BOUNDS.reason) return fail('reason', `a string of at most ${PROPOSAL_BOUNDS.reason} characters`, reason);
  if (verdict !== 'next') return { ok: true, proposal: { verdict, reason, intent: '', namespaces: [], retry: '' } };
  const intent = v.intent;
  if (typeof intent !== 'string' || intent.trim().length < PROPOSAL_BOUNDS.intentMin || intent.length > PROPOSAL_BOUNDS.intent) {
    return fail('intent', `a sentence of ${PROPOSAL_BOUNDS.intentMin} to ${PROPOSAL_BOUNDS.intent} characters`, intent);
  }
  // Control characters would let one intent pose as several lines of the next prompt.
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(intent)) return fail('intent', 'one line without control characters', intent);
  const namespaces = v.namespaces ?? [];
  if (!Array.isArray(namespaces) || namespaces.length > PROPOSAL_BOUNDS.namespaces) return fail('namespaces', `a list of at most ${PROPOSAL_BOUNDS.namespaces} names`, namespaces);
  for (let i = 0; i < namespaces.length; i++) {
    const n = namespaces[i];
    if (typeof n !== 'string' || !isNamespaceName(n)) return fail(`namespaces[${i}]`, 'a namespace name (a lower-case DNS label)', n);
  }
  const retry = v.retry ?? '';
  if (typeof retry !== 'string' || (retry !== '' && (retry.length > PROPOSAL_BOUNDS.name || !DNS_NAME.test(retry)))) return fail('retry', 'a child GPTPolicy name or ""', retry);
  return { ok: true, proposal: { verdict, reason, intent: intent.trim(), namespaces: [...new Set(namespaces as string[])], retry } };
}
