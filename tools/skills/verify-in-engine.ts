// Verifies a skill library where the controller verifies it: the toolkit bundle evaluated in a
// context of the policy engine (V8 9.6, as in jsPolicy), ses locked down there, not in this
// process. The build, `gptpolicy skills test|import` and the skills tests all come through here.
import type { PolicySkill } from '../../lib/skills/types.ts';
import { skillWithStatus, type Verification } from '../../lib/skills/verify.ts';
import { policyEngine } from '../runtime/engine/index.ts';
import { hostNatives } from '../runtime/vm/natives.ts';
import { builtToolkitSource } from '../local/local-jspolicy.ts';
import { bundleForJsPolicy } from '../local/bundle-for-jspolicy.ts';

/** Set by build.mjs in bundles, where the toolkit is read from the built file instead of built here. */
declare const GPTPOLICY_VERSION: string | undefined;

const TOOLKIT_GLOBAL = '__gptpolicyToolkit';
const VERIFY_TIMEOUT_MS = 120_000;

/** The toolkit bundle: as the controller manifest ships it (the CLI), or lib/toolkit bundled now (from sources). */
export function toolkitSource(): string {
  return typeof GPTPOLICY_VERSION === 'string' ? builtToolkitSource() : bundleForJsPolicy('lib/toolkit/index.ts', TOOLKIT_GLOBAL);
}

export function verifyLibraryInEngine(skills: readonly PolicySkill[], toolkit = toolkitSource()): { skill: PolicySkill; verification: Verification }[] {
  const natives = hostNatives({ policyName: 'gptpolicy-skills.gptpolicy.dev', javascript: '', request: null });
  const session = policyEngine().open(
    { policyName: 'gptpolicy-skills.gptpolicy.dev', code: '', timeoutMs: VERIFY_TIMEOUT_MS, env: {}, files: {}, virtualClock: false },
    { native: (name, args, origin) => natives[name as keyof typeof natives](args, origin), now: () => Date.now() },
  );
  if (session === 'exhausted') throw new Error('gptpolicy: no policy engine free to verify skills');
  try {
    const run = (code: string) => {
      const reply = session.evaluate(code, VERIFY_TIMEOUT_MS, 'gptpolicy-skills.gptpolicy.dev');
      if ('lost' in reply) throw new Error(`gptpolicy: the policy engine was lost verifying skills (${reply.lost}): ${reply.detail}`);
      if ('error' in reply) throw new Error(`gptpolicy: verifying skills failed in the policy engine: ${reply.error}`);
      return reply.json;
    };
    run(`var __policy = 'gptpolicy-skills.gptpolicy.dev'; var request = null; ${toolkit}\n;0`);
    const results = JSON.parse(JSON.parse(run(`JSON.stringify(${TOOLKIT_GLOBAL}.verify(JSON.parse(${JSON.stringify(JSON.stringify(skills))})))`)) as string) as Array<{
      name: string;
      verification: Verification;
    }>;
    return skills.map((skill, i) => ({ skill: skillWithStatus(skill, results[i]!.verification), verification: results[i]!.verification }));
  } finally {
    session.close();
  }
}
