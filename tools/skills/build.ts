// What build-skills.mjs runs: the starter library, verified, as manifests.
import path from 'node:path';
import { verifyLibraryInEngine } from './verify-in-engine.ts';
import type { PolicySkill } from '../../lib/skills/types.ts';
import { loadSourceSkills } from './load.ts';

export async function buildStarterSkills(root: string, version: string): Promise<PolicySkill[]> {
  const skills = await loadSourceSkills(path.join(root, 'skills'), {
    labels: { 'app.kubernetes.io/name': 'gptpolicy', 'app.kubernetes.io/version': version },
  });
  const failed = verifyLibraryInEngine(skills).filter((r) => !r.verification.verified);
  if (failed.length > 0) {
    const lines = failed.map((r) => `  ${r.skill.spec.function} › ${r.verification.failingCase}: ${r.verification.message}`);
    throw new Error(`starter skills fail their tests (run npx gptpolicy skills test):\n${lines.join('\n')}`);
  }
  return skills;
}
