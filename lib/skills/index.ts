// The skill library (runtime-neutral). The controller's per-event path needs only retrieve/render/
// inline (small, no dependencies); verify pulls in the sandbox and belongs in the toolkit.
export type { HelperProposal, PolicySkill, PolicySkillSpec, PolicySkillStatus, SkillExample, SkillKind, SkillProvenance, SkillTestCase } from './types.ts';
export { SKILL_API_VERSION, SKILL_KIND } from './types.ts';
export { FUNCTION_NAME, functionNameOf, identifierWords, skillObjectName } from './names.ts';
export { estimateTokens, terms } from './text.ts';
export { DEFAULT_K, DEFAULT_TOKEN_BUDGET, isVerified, rank, retrieve, skillTerms } from './retrieve.ts';
export type { Retrieved, RetrieveOptions } from './retrieve.ts';
export { renderExample, renderForPrompt, signatureOf } from './render.ts';
export { helperClosure, helperIndex, inlineHelpers, scanNames } from './inline.ts';
export type { Inlined, InlineOptions, ScannedNames } from './inline.ts';
export { completeRequest, exampleJsPolicy, helperCasePolicy, runHelperCases, verifyLibrary, verifySkill } from './verify.ts';
export type { CaseOutcome, Verification } from './verify.ts';
export { directCalls, exampleFunctionName, learnFromApproval, LEARNED_FROM_LABEL, SKILL_SOURCE_LABEL, skillCodeHash, skillObject } from './learn.ts';
export { asSkill, skillProblems } from './validate.ts';
