// The starter skill library as PolicySkill manifests, for build.mjs:
//
//   import { buildSkillManifests } from './build-skills.mjs';
//   const skills = await buildSkillManifests(root, version);   // PolicySkill objects, verified first
//
// The loader is TypeScript (tools/skills/load.ts): it is bundled to node_modules/.cache and imported.
// Every skill's tests run in the sandbox here, so a build with a failing skill fails.
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

async function importTs(root, entry) {
  const outdir = join(root, 'node_modules/.cache/gptpolicy');
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `${entry.replace(/[^a-z0-9]+/gi, '-')}.mjs`);
  await esbuild.build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

/** @returns {Promise<object[]>} the starter PolicySkills (no status: the controller verifies them in the cluster) */
export async function buildSkillManifests(root, version) {
  const { buildStarterSkills } = await importTs(root, 'tools/skills/build.ts');
  return buildStarterSkills(root, version);
}
