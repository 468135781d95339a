// Self-feeding: when a generated policy is approved, what it taught becomes unverified skill candidates
// (the example, and the helpers the model wrote and marked reusable). Duplicates are not added twice.
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { ModelAnswer } from '../model/answer.ts';
import { labelValueFor } from '../k8s/label-value.ts';
import { sha256Hex } from '../util/sha256.ts';
import { helperIndex, scanNames } from './inline.ts';
import { FUNCTION_NAME, identifierWords, skillObjectName } from './names.ts';
import { renderExample } from './render.ts';
import { SKILL_API_VERSION, SKILL_KIND, type HelperProposal, type PolicySkill, type PolicySkillSpec } from './types.ts';

export const LEARNED_FROM_LABEL = 'gptpolicy.dev/learned-from';
export const SKILL_SOURCE_LABEL = 'gptpolicy.dev/skill-source';

/** sha256 of a skill's code: the identity used for dedupe. */
export const skillCodeHash = (code: string): string => sha256Hex(code.trim());

/** A PolicySkill object for a spec (no status: the API server ignores it on create). */
export function skillObject(spec: PolicySkillSpec, labels: Record<string, string> = {}): PolicySkill {
  return {
    apiVersion: SKILL_API_VERSION,
    kind: SKILL_KIND,
    metadata: { name: skillObjectName(spec.function), labels: { [SKILL_SOURCE_LABEL]: spec.provenance.source, ...labels } },
    spec,
  };
}

/** The example function name for a GPTPolicy name: `deny-prod` → `exampleDenyProd`. */
export function exampleFunctionName(name: string): string {
  const full = `example${identifierWords(name)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}`;
  return full.slice(0, 63);
}

/** The CRD wants one line of at most 400 characters. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 400 ? `${line.slice(0, 399)}…` : line;
}

/** Library helpers the code calls directly (by a token scan). */
export function directCalls(code: string, library: readonly PolicySkill[], self?: string): string[] {
  const helpers = helperIndex(library, false);
  const { used, declared } = scanNames(code);
  return [...used].filter((n) => n !== self && helpers.has(n) && !declared.has(n)).sort();
}

/**
 * Unverified skill candidates learned from an approved GPTPolicy: its example (intent, plan, policy,
 * tests) and every proposed helper marked reusable. Skipped: code whose hash `existing` (or this batch)
 * already holds, and helpers whose function name is taken. Example names taken by other code get a
 * numeric suffix.
 */
export function learnFromApproval(gp: GPTPolicy, answer: ModelAnswer, helpersProposed: readonly HelperProposal[] = [], existing: readonly PolicySkill[] = []): PolicySkill[] {
  const hashes = new Set(existing.map((s) => s.spec.provenance?.codeHash || skillCodeHash(s.spec.code)));
  const names = new Set(existing.map((s) => s.spec.function));
  const out: PolicySkill[] = [];
  const gpName = gp.metadata.name ?? '';
  const approvedBy = gp.status?.rollout?.approvedBy;
  const provenance = (code: string) => ({ source: 'learned' as const, gptPolicy: gpName, ...(approvedBy ? { approvedBy } : {}), codeHash: skillCodeHash(code) });
  const labels = { [LEARNED_FROM_LABEL]: labelValueFor(gpName) };
  const add = (spec: PolicySkillSpec): void => {
    hashes.add(spec.provenance.codeHash);
    names.add(spec.function);
    out.push({ ...skillObject(spec, labels), status: { verified: false } });
  };

  const library = [...existing];
  for (const h of helpersProposed) {
    // The CRD's limits: a lowerCamelCase name of at most 63 characters and at least two tests.
    if (h.reusable !== true || !FUNCTION_NAME.test(h.function) || h.function.length > 63 || h.tests.length < 2) continue;
    const code = h.code.trim();
    const hash = skillCodeHash(code);
    if (hashes.has(hash) || names.has(h.function)) continue;
    const spec: PolicySkillSpec = {
      function: h.function,
      kind: 'helper',
      description: oneLine(h.description),
      code,
      calls: h.calls ?? directCalls(code, [...library, ...out], h.function),
      reads: h.reads ?? /\b(get|list)\s*\(/.test(code),
      tests: h.tests,
      provenance: provenance(code),
    };
    add(spec);
    library.push(out[out.length - 1] as PolicySkill);
  }

  // The example keeps what the PolicySkill schema declares (intent, plan, policy, tests): proposed
  // helpers become skills of their own above, and the API server would prune them from the example.
  const { helpers: _proposed, ...answered } = answer;
  const example = { intent: gp.spec.description, ...answered };
  const code = renderExample(example);
  const hash = skillCodeHash(code);
  if (!hashes.has(hash)) {
    const base = exampleFunctionName(gpName || 'learned');
    let fn = base;
    for (let i = 2; names.has(fn); i += 1) fn = `${base}${i}`;
    add({
      function: fn,
      kind: 'example',
      description: oneLine(gp.spec.description),
      code,
      calls: directCalls(answer.policy.javascript, library),
      reads: /\b(get|list)\s*\(/.test(answer.policy.javascript),
      example,
      provenance: provenance(code),
    });
  }
  return out;
}
