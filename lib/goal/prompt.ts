// The curriculum's prompt: the goal, what is known (the skill library), what is observed (kinds in
// the goal's namespaces, GPTPolicies that already cover something), and the progress so far. Every
// list is cut to a stated bound and the whole user turn to GOAL_PROMPT_TOKENS, so a long-running
// goal never grows its prompt without limit.
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ModelSettings } from '../model/chat-request.ts';
import { estimateTokens } from '../skills/text.ts';
import { describeScope, MAX_CHILD_RETRIES } from './narrow.ts';
import { PROPOSAL_TOOL, PROPOSAL_TOOL_NAME } from './proposal.ts';
import type { GoalChild, GoalFailure } from './types.ts';

/**
 * The user turn's bound, in estimated tokens (four characters a token, as skill retrieval counts).
 * The fixed part fits by construction — the goal (at most 2,000 characters, the CRD's bound) and at
 * most 31 lines (scope, budget, 20 children and 5 refusals with their headings) of at most 300
 * characters, about 2,850 tokens — and the optional context (library, observations, existing
 * GPTPolicies) is cut, last line first, to what remains.
 */
export const GOAL_PROMPT_TOKENS = 3000;
/** A proposal is one short JSON object. */
export const PROPOSAL_MAX_TOKENS = 800;
/** spec.goal's own bound (k8s/policygoal-crd.yaml); the goal is never cut below it. */
const MAX_GOAL = 2000;
export const PROMPT_BOUNDS = { children: 20, failures: 5, skills: 25, observed: 5, existing: 10, line: 300 };

export const CURRICULUM_PROMPT = `You are the curriculum of a Kubernetes admission-policy agent. A platform engineer states a goal; you propose, one step at a time, the next sub-intent: one plain-language intent that a separate generator turns into ONE jsPolicy (Validating: deny/allow, or Mutating: patch) for a person to review.
Call ${PROPOSAL_TOOL_NAME} once with:
- verdict: "next" (propose one more child), "met" (the Ready children together meet the goal), or "unreachable" (admission policies cannot meet the rest; say why).
- reason: one or two sentences.
- intent (for "next"): one sentence naming the resources and exactly what is denied or mutated, e.g. "Deny pods whose containers set securityContext.privileged to true". One control per intent. Do not name namespaces in it.
- namespaces (for "next"): those of the goal's namespaces it applies to, [] for all of them. Code confines every child to the goal's namespaces whatever you write.
- retry: the name of a Failed child this intent replaces (a rephrasing that avoids its failure, at most ${MAX_CHILD_RETRIES} time per child), else "".
Never repeat a Ready child's intent. Prefer intents the library's helpers and examples already solve. Policies never touch Secrets, nodes, leases, events, webhooks, CRDs or RBAC of the cluster's own components, and never the kube-system, kube-public, kube-node-lease or jsPolicy namespaces.`;

export interface CurriculumInput {
  goal: string;
  scope: readonly string[];
  spent: number;
  budget: number;
  maxPolicies: number;
  children: readonly GoalChild[];
  failures: readonly GoalFailure[];
  /** Verified library skills, most relevant first: name and one line. */
  skills: ReadonlyArray<{ name: string; description: string }>;
  /** Per namespace, the kinds found and how many. */
  observed: ReadonlyArray<{ namespace: string; kinds: Record<string, number> }>;
  /** GPTPolicies in the goal's scope that are not its children. */
  existing: ReadonlyArray<{ name: string; description: string }>;
}

const line = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= PROMPT_BOUNDS.line ? flat : `${flat.slice(0, PROMPT_BOUNDS.line - 1)}…`;
};

/** Newest entries of a list, with a line saying how many were left out. */
function newest<T>(items: readonly T[], max: number, render: (item: T) => string): string[] {
  const kept = items.slice(-max).map(render);
  return items.length > max ? [`(${items.length - max} earlier left out)`, ...kept] : kept;
}

export function curriculumMessage(input: CurriculumInput): string {
  const ready = input.children.filter((c) => c.state === 'Ready').length;
  const sections: string[][] = [];
  sections.push([
    `Goal: ${input.goal.replace(/\s+/g, ' ').trim().slice(0, MAX_GOAL)}`,
    `Scope: ${describeScope(input.scope)}.`,
    `Budget: ${input.spent} of ${input.budget} tokens spent; ${input.children.length} of at most ${input.maxPolicies} children, ${ready} Ready.`,
  ]);
  const progress = newest(input.children, PROMPT_BOUNDS.children, (c) => {
    const how = c.state === 'Failed' ? `Failed (${c.reason ?? ''}: ${c.message ?? ''}; ${c.retries < MAX_CHILD_RETRIES ? 'may be retried' : 'given up'})` : c.state;
    return line(`- ${c.name} [${how}]: ${c.intent}`);
  });
  sections.push(['Progress (children so far, in order):', ...(progress.length > 0 ? progress : ['- none yet'])]);
  const refused = input.failures.filter((f) => f.child === undefined);
  if (refused.length > 0) sections.push(['Your last proposals that code refused or could not read:', ...newest(refused, PROMPT_BOUNDS.failures, (f) => line(`- ${f.message}`))]);
  // The optional context, cut first when the bound is reached: least relevant last.
  const optional: string[][] = [];
  if (input.skills.length > 0) optional.push(['Library (verified helpers and examples, most relevant first):', ...input.skills.slice(0, PROMPT_BOUNDS.skills).map((s) => line(`- ${s.name}: ${s.description}`))]);
  if (input.observed.length > 0) {
    optional.push([
      'Observed in the cluster:',
      ...input.observed.slice(0, PROMPT_BOUNDS.observed).map((o) => line(`- ${o.namespace}: ${Object.entries(o.kinds).map(([k, n]) => `${n} ${k}`).join(', ') || 'none of the kinds read'}`)),
    ]);
  }
  if (input.existing.length > 0) optional.push(['GPTPolicies already in scope (not this goal\'s):', ...input.existing.slice(0, PROMPT_BOUNDS.existing).map((e) => line(`- ${e.name}: ${e.description}`))]);
  const render = (parts: string[][]): string => parts.map((s) => s.join('\n')).join('\n\n');
  let text = render([...sections, ...optional]);
  // Over the bound: drop optional lines from the end.
  while (estimateTokens(text) > GOAL_PROMPT_TOKENS && optional.length > 0) {
    const last = optional[optional.length - 1] as string[];
    if (last.length > 2) last.pop();
    else optional.pop();
    text = render([...sections, ...optional]);
  }
  return text;
}

/** The proposal call: the system prompt, one user turn, the propose_next tool (or JSON in content). */
export function curriculumRequest(settings: ModelSettings, input: CurriculumInput): ChatCompletionCreateParamsNonStreaming {
  const system = settings.toolMode === 'none' ? `${CURRICULUM_PROMPT}\nAnswer with one JSON object {"verdict":…,"reason":…,"intent":…,"namespaces":…,"retry":…} in the message content, nothing else.` : CURRICULUM_PROMPT;
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: settings.model,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: curriculumMessage(input) },
    ],
  };
  body[settings.maxTokensParam] = Math.min(settings.maxTokens, PROPOSAL_MAX_TOKENS);
  if (settings.toolMode !== 'none') {
    body.tools = [PROPOSAL_TOOL];
    body.tool_choice = settings.toolMode === 'force' ? { type: 'function', function: { name: PROPOSAL_TOOL_NAME } } : 'auto';
  }
  return body;
}
