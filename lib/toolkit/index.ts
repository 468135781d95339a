// Entry of the generation toolkit bundle (see api.ts for why it is separate). Its exports are the
// Toolkit interface: build.mjs bundles it with globalName __gptpolicyToolkit.
import type { ServedResource } from '../k8s/builtin-resources.ts';
import { formatFindingsForModel, lintPolicy } from '../lint/index.ts';
import { helperIndex, inlineHelpers, learnFromApproval, renderForPrompt, retrieve, verifyLibrary, type PolicySkill } from '../skills/index.ts';
import type { Toolkit } from './api.ts';
import { planForLint } from './plan.ts';
import { runCases } from './run-cases.ts';

export { preview } from './preview.ts';

/**
 * Checks against a skill library: the linter knows the verified helpers' names as declared, and the
 * candidate's tests run with exactly the helpers it calls inlined, as the emitted policy will be.
 */
export const checks: Toolkit['checks'] = (resources: readonly ServedResource[], skills: readonly PolicySkill[] = []) => {
  const helpers = [...helperIndex(skills).keys()];
  return {
    lint: (policy, answer) => lintPolicy(policy, { profile: 'generated', resources, plan: planForLint(answer.plan), helpers }),
    runCases: (policy, answer) => {
      const inlined = inlineHelpers(policy.spec.javascript ?? '', skills);
      return runCases({ ...policy, spec: { ...policy.spec, javascript: inlined.javascript } }, answer.tests, answer.plan.mutates);
    },
    inline: (javascript) => inlineHelpers(javascript, skills),
    formatFindings: formatFindingsForModel,
  };
};

export const skillsForIntent: Toolkit['skillsForIntent'] = (intent, skills) => {
  const found = retrieve(intent, skills);
  return { names: found.skills.map((s) => s.spec.function), text: found.skills.length > 0 ? renderForPrompt(found.skills) : '', tokens: found.tokens };
};

export const inline: Toolkit['inline'] = (javascript, skills) => inlineHelpers(javascript, skills);

export const verify: Toolkit['verify'] = (skills) => verifyLibrary(skills).map(({ skill, verification }) => ({ name: skill.metadata.name ?? '', verification }));

export const learn: Toolkit['learn'] = (gp, answer, existing) => learnFromApproval(gp, answer, [], existing);
