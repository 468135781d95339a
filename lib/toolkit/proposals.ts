// Small steps: helpers the model proposes inside its answer are verified on their own, in the
// sandbox, before the policy that calls them is tested; verified ones are composed like library
// helpers, and the reusable ones are what an approval offers to the library.
import type { CaseFailure } from '../controller/judge.ts';
import type { HelperDraft, ModelAnswer } from '../model/answer.ts';
import { readHelperRequest } from '../model/read-answer.ts';
import { describeThrown } from '../util/thrown.ts';
import { directCalls, FUNCTION_NAME, skillCodeHash, skillObject, verifySkill, type HelperProposal, type PolicySkill, type SkillTestCase } from '../skills/index.ts';

const RESULT = { truthy: 'deny', falsy: 'allow', throws: 'error' } as const;

/** The skill shape of a proposal (its tests in the library's case form). */
export function asProposal(draft: HelperDraft, library: readonly PolicySkill[]): HelperProposal {
  const tests: SkillTestCase[] = draft.tests.map((t) => ({
    name: t.name,
    call: t.call,
    request: parseRequest(t.request),
    expect: { result: RESULT[t.expect] ?? 'deny', ...(t.detail ? { message: t.detail } : {}) },
  }));
  return { function: draft.function, description: draft.description, code: draft.code, tests, reusable: draft.reusable, calls: directCalls(draft.code, library, draft.function) };
}

// The answer's validation already refused what this parser refuses; a stored answer read for learning is read the same way.
function parseRequest(json: string): SkillTestCase['request'] {
  const read = readHelperRequest(json);
  return { operation: 'CREATE', ...(read.ok ? read.request : {}) } as SkillTestCase['request'];
}

/** Verifies each proposed helper against the library; answers the verified ones as skills, and what failed. */
export function verifyProposals(answer: ModelAnswer, library: readonly PolicySkill[]): { skills: PolicySkill[]; failures: CaseFailure[] } {
  const skills: PolicySkill[] = [];
  const failures: CaseFailure[] = [];
  for (const draft of answer.helpers ?? []) {
    const name = `helper ${draft.function}`;
    if (!FUNCTION_NAME.test(draft.function)) {
      failures.push({ name, problem: 'function must be a lowerCamelCase JavaScript identifier' });
      continue;
    }
    if (library.some((s) => s.spec.function === draft.function)) {
      failures.push({ name, problem: 'a library helper already has this name: call it instead of redefining it' });
      continue;
    }
    if (draft.tests.length < 2) {
      failures.push({ name, problem: 'a proposed helper needs at least two tests (say, one truthy and one falsy)' });
      continue;
    }
    try {
      const proposal = asProposal(draft, library);
      const skill: PolicySkill = {
        ...skillObject({ function: draft.function, kind: 'helper', description: draft.description, code: draft.code, calls: proposal.calls, tests: proposal.tests, provenance: { source: 'learned', codeHash: skillCodeHash(draft.code) } }),
        status: { verified: true },
      };
      const verdict = verifySkill(skill, [...library, ...skills]);
      if (verdict.verified) skills.push(skill);
      else failures.push({ name: `${name}: ${verdict.failingCase ?? 'tests'}`, problem: verdict.message ?? 'failed' });
    } catch (thrown) {
      // Whatever a proposal's tests do to the sandbox (a blown stack, say) is that proposal's failure.
      failures.push({ name, problem: `its tests could not be run: ${describeThrown(thrown)}` });
    }
  }
  return { skills, failures };
}
