// Lexical retrieval of skills for an intent: BM25 over each skill's function name (camelCase split),
// description, keywords and code identifiers. No service, no model call: it runs in the controller.
import { renderForPrompt } from './render.ts';
import { codeWords, estimateTokens, terms } from './text.ts';
import type { PolicySkill } from './types.ts';

export interface RetrieveOptions {
  /** Skills ranked in (default 5). */
  k?: number;
  /** Upper bound on renderForPrompt(result) in estimated tokens (default 1500). */
  tokenBudget?: number;
  /** Skills scoring below this share of the best score are left out (default 0.25): no filler. */
  minScoreRatio?: number;
  /**
   * An example after the first costs five helpers' tokens: it is taken only when it scores at least this
   * share of the best score (default 0.5). The first example is held to minScoreRatio alone.
   */
  minExtraExampleRatio?: number;
  /** Also add the helpers the chosen skills call, transitively, when the budget allows (default true). */
  withCalls?: boolean;
}

export interface Retrieved {
  skills: PolicySkill[];
  /** BM25 score of each returned skill (0 for helpers added because a chosen skill calls them). */
  scores: number[];
  /** Estimated tokens of renderForPrompt(skills). */
  tokens: number;
}

export const DEFAULT_K = 5;
export const DEFAULT_TOKEN_BUDGET = 1500;
const K1 = 1.2;
const B = 0.75;

/** Adjacent pairs of terms ("namespace label"), so a phrase of the intent finds the skill named by it. */
function bigrams(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < words.length; i++) out.push(`${words[i - 1]}_${words[i]}`);
  return out;
}

/** The bag of terms a skill is found by; fields weighted by repetition (a BM25F approximation). */
export function skillTerms(skill: PolicySkill): string[] {
  const s = skill.spec;
  const example = s.kind === 'example' ? s.example : undefined;
  // An example's function name is example<Intent>: "example" says nothing about the intent.
  const name = terms(example ? s.function.replace(/^example/, '') : s.function);
  const description = terms(s.description);
  const keywords = terms((s.keywords ?? []).join(' '));
  const text = example ? terms(`${example.plan.summary} ${example.policy.resources.join(' ')}`) : [];
  const code = terms(`${codeWords(example ? example.policy.javascript : s.code)} ${(s.calls ?? []).join(' ')}`);
  const phrases = [...bigrams(name), ...bigrams(description)];
  return [...name, ...name, ...name, ...description, ...description, ...keywords, ...keywords, ...text, ...code, ...phrases, ...phrases];
}

export const isVerified = (skill: PolicySkill): boolean => skill.status?.verified === true;

/** Scores of every verified skill for the intent, best first (ties by function name). */
export function rank(intent: string, skills: readonly PolicySkill[]): { skill: PolicySkill; score: number }[] {
  const candidates = skills.filter(isVerified);
  const docs = candidates.map((skill) => {
    const tf = new Map<string, number>();
    const bag = skillTerms(skill);
    for (const t of bag) tf.set(t, (tf.get(t) ?? 0) + 1);
    return { skill, tf, length: bag.length };
  });
  const n = docs.length;
  const avg = docs.reduce((sum, d) => sum + d.length, 0) / Math.max(1, n);
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const words = terms(intent);
  const query = [...new Set([...words, ...bigrams(words)])];
  return docs
    .map((d) => {
      let score = 0;
      for (const t of query) {
        const f = d.tf.get(t);
        if (!f) continue;
        const idf = Math.log(1 + (n - (df.get(t) ?? 0) + 0.5) / ((df.get(t) ?? 0) + 0.5));
        score += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * d.length) / avg));
      }
      return { skill: d.skill, score };
    })
    .sort((a, b) => b.score - a.score || (a.skill.spec.function < b.skill.spec.function ? -1 : 1));
}

/**
 * The few most relevant verified skills for an intent, within a token budget. Unverified skills are
 * never candidates, so a skill whose tests fail never reaches a prompt.
 */
export function retrieve(intent: string, skills: readonly PolicySkill[], options: RetrieveOptions = {}): Retrieved {
  const k = options.k ?? DEFAULT_K;
  const budget = options.tokenBudget ?? DEFAULT_TOKEN_BUDGET;
  const byName = new Map(skills.filter(isVerified).map((s) => [s.spec.function, s]));
  const chosen: PolicySkill[] = [];
  const scores: number[] = [];
  const fits = (extra: PolicySkill[]): boolean => estimateTokens(renderForPrompt([...chosen, ...extra])) <= budget;
  let ranked = 0;
  const ranking = rank(intent, skills);
  const floor = (ranking[0]?.score ?? 0) * (options.minScoreRatio ?? 0.25);
  const exampleFloor = (ranking[0]?.score ?? 0) * (options.minExtraExampleRatio ?? 0.5);
  for (const { skill, score } of ranking) {
    if (ranked >= k || score <= 0 || score < floor) break;
    if (chosen.includes(skill)) {
      ranked += 1;
      continue;
    }
    if (!fits([skill])) continue;
    if (skill.spec.kind === 'example' && score < exampleFloor && chosen.some((s) => s.spec.kind === 'example')) continue;
    chosen.push(skill);
    scores.push(score);
    ranked += 1;
  }
  if (options.withCalls !== false) {
    // Helpers the chosen skills call (examples call helpers too): the model should know them by signature.
    const queue = [...chosen];
    while (queue.length > 0) {
      const skill = queue.shift() as PolicySkill;
      for (const name of skill.spec.calls ?? []) {
        const callee = byName.get(name);
        if (!callee || chosen.includes(callee) || !fits([callee])) continue;
        chosen.push(callee);
        scores.push(0);
        queue.push(callee);
      }
    }
  }
  return { skills: chosen, scores, tokens: estimateTokens(renderForPrompt(chosen)) };
}
