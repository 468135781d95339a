// The starter library, loaded and verified once per test file.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyLibraryInEngine } from '../../tools/skills/verify-in-engine.ts';
import type { PolicySkill } from '../../lib/skills/types.ts';
import { loadSourceSkills } from '../../tools/skills/load.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const skillsDir = path.join(repoRoot, 'skills');

let cached: Promise<PolicySkill[]> | undefined;

/** The starter skills with status.verified set by their own tests. */
export function starterLibrary(): Promise<PolicySkill[]> {
  cached ??= loadSourceSkills(skillsDir).then((skills) => verifyLibraryInEngine(skills).map((r) => r.skill));
  return cached;
}
