import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { KubeObject } from '../k8s/types.ts';
import type { Platform } from '../platform/platform.ts';
import { SKILL_API_VERSION, SKILL_KIND, type PolicySkill } from '../skills/types.ts';
import { canonicalJson } from '../util/sha256.ts';
import { putStatus } from './status-writes.ts';

/** On a learned skill: a person's approval, required before it enters retrieval when the admin asks for that. */
export const SKILL_APPROVED_LABEL = 'gptpolicy.dev/skill-approved';

/**
 * The skills that may reach a prompt or a policy: verified in the sandbox, and — when
 * GPTPOLICY_SKILLS_NEED_APPROVAL=true — learned ones only once a person labelled them approved.
 * Read uncached, and only on runs that call the model.
 */
export function usableSkills(platform: Platform): PolicySkill[] {
  const needApproval = platform.env('GPTPOLICY_SKILLS_NEED_APPROVAL').trim() === 'true';
  return platform
    .listUncached<PolicySkill>(SKILL_KIND, SKILL_API_VERSION)
    .filter((s) => s.status?.verified === true && s.status.observedGeneration === s.metadata.generation)
    .filter((s) => !needApproval || s.spec.provenance?.source !== 'learned' || s.metadata.labels?.[SKILL_APPROVED_LABEL] === 'true');
}

/**
 * A PolicySkill changed: verify every skill whose status is not about its current spec, in the
 * sandbox, and write the verdicts. A skill whose status is current ends the run at once, so the
 * events of our own status writes cost nothing.
 */
export function onSkill(platform: Platform, skill: KubeObject): void {
  const current = skill as PolicySkill;
  if (current.status?.observedGeneration === current.metadata.generation) return;
  const all = platform.listUncached<PolicySkill>(SKILL_KIND, SKILL_API_VERSION);
  const stale = new Map(all.filter((s) => s.status?.observedGeneration !== s.metadata.generation).map((s) => [s.metadata.name ?? '', s]));
  for (const { name, verification } of platform.toolkit().verify(all)) {
    const target = stale.get(name);
    if (!target) continue;
    const status = { ...target.status, verified: verification.verified, failingCase: verification.failingCase, message: verification.message, observedGeneration: target.metadata.generation };
    if (canonicalJson(status) !== canonicalJson(target.status)) putStatus(platform, target, status, 'policyskills');
  }
}

/** One more policy composed from these library skills: their status.uses (kubectl get gpts). */
export function countUses(platform: Platform, library: readonly PolicySkill[], used: readonly string[]): void {
  for (const skill of library.filter((s) => used.includes(s.spec.function))) {
    putStatus(platform, skill, { ...skill.status, uses: (skill.status?.uses ?? 0) + 1 }, 'policyskills');
  }
}

/**
 * An approved policy feeds the library: its example (intent, plan, policy, tests) is proposed as an
 * unverified skill, verified like any other before it can be retrieved; the same code twice is
 * added once.
 */
export function learnFrom(platform: Platform, gp: GPTPolicy): void {
  const text = gp.status?.answer;
  if (!text) return;
  // The stored answer is read as any answer is: parsed within bounds and validated (a clipped one is not).
  const toolkit = platform.toolkit();
  const read = toolkit.readAnswerText(text);
  if (!read.ok) return;
  const existing = platform.listUncached<PolicySkill>(SKILL_KIND, SKILL_API_VERSION);
  for (const skill of toolkit.learn(gp, read.answer, existing)) {
    const created = platform.create(skill);
    platform.log(created.ok ? 'info' : 'error', created.ok ? 'learned a skill' : `could not add a learned skill: ${created.message ?? ''}`, { gptpolicy: gp.metadata.name, skill: skill.metadata.name });
  }
}
