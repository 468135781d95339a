// Entry of the generation toolkit bundle (see api.ts for why it is separate). Its exports are the
// Toolkit interface: build.mjs bundles it with globalName __gptpolicyToolkit.
import type { ServedResource } from '../k8s/builtin-resources.ts';
import { formatFindingsForModel, lintPolicy } from '../lint/index.ts';
import { helperIndex, inlineHelpers, learnFromApproval, renderForPrompt, retrieve, verifyLibrary, type PolicySkill } from '../skills/index.ts';
import type { Toolkit } from './api.ts';
import type { ModelAnswer } from '../model/answer.ts';
import { buildChatRequest, buildMessages } from '../model/chat-request.ts';
import { planForLint } from './plan.ts';
import { asProposal, verifyProposals } from './proposals.ts';
import { runCases } from './run-cases.ts';

export { preview } from './preview.ts';
export { readAnswer, readAnswerText } from '../model/read-answer.ts';

export const chatRequest: Toolkit['chatRequest'] = (settings, description, turns, skills) => buildChatRequest(settings, buildMessages(description, turns, settings.toolMode, skills));

/**
 * Checks against a skill library: the linter knows the verified helpers' names as declared, and the
 * candidate's tests run with exactly the helpers it calls inlined, as the emitted policy will be.
 */
export const checks: Toolkit['checks'] = (resources: readonly ServedResource[], skills: readonly PolicySkill[] = [], clock?: () => number) => {
  const library = [...helperIndex(skills).keys()];
  // Proposals are verified once per answer; the policy's tests run only when they all passed.
  let verified: { answer: ModelAnswer; result: ReturnType<typeof verifyProposals> } | undefined;
  const proposals = (answer: ModelAnswer) => (verified?.answer === answer ? verified.result : (verified = { answer, result: verifyProposals(answer, skills) }).result);
  return {
    // Proposed helpers are linted with the policy (they will run inside it): their code comes first.
    lint: (policy, answer, description) => {
      const javascript = [...(answer.helpers ?? []).map((h) => h.code), policy.spec.javascript ?? ''].join('\n');
      return lintPolicy({ ...policy, spec: { ...policy.spec, javascript } }, { profile: 'generated', resources, plan: planForLint(answer.plan), helpers: library, description });
    },
    runCases: (policy, answer) => {
      const steps = proposals(answer);
      if (steps.failures.length > 0) return steps.failures;
      const inlined = inlineHelpers(policy.spec.javascript ?? '', [...skills, ...steps.skills]);
      return runCases({ ...policy, spec: { ...policy.spec, javascript: inlined.javascript } }, answer.tests, answer.plan.mutates, clock);
    },
    inline: (javascript, answer) => inlineHelpers(javascript, [...skills, ...(answer ? proposals(answer).skills : [])]),
    formatFindings: formatFindingsForModel,
  };
};

export const skillsForIntent: Toolkit['skillsForIntent'] = (intent, skills) => {
  const found = retrieve(intent, skills);
  return { names: found.skills.map((s) => s.spec.function), text: found.skills.length > 0 ? renderForPrompt(found.skills) : '', tokens: found.tokens };
};

export const inline: Toolkit['inline'] = (javascript, skills) => inlineHelpers(javascript, skills);

export const verify: Toolkit['verify'] = (skills) => verifyLibrary(skills).map(({ skill, verification }) => ({ name: skill.metadata.name ?? '', verification }));

export const learn: Toolkit['learn'] = (gp, answer, existing) =>
  learnFromApproval(gp, answer, (answer.helpers ?? []).filter((h) => h.reusable).map((h) => asProposal(h, existing)), existing);
