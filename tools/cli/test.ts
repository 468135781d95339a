// `gptpolicy test FILE|DIR...`: runs PolicyTest files against their policies in the local jsPolicy runtime.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { runPolicyTestFile } from '../runtime/policytest/index.ts';
import type { JsPolicy } from '../../lib/k8s/types.ts';
import { inlineHelpers, type PolicySkill } from '../../lib/skills/index.ts';
import { loadLibrary } from '../skills/load.ts';
import type { CommandIo } from './io.ts';

const USAGE = `usage: gptpolicy test [--skills DIR|FILE] FILE|DIR...

  Runs PolicyTest files (YAML or JSON). A directory is searched recursively for *.policytest.yaml
  (also .yml / .json). Prints one line per case, then "N passed, N failed"; exits 1 if any failed.
  --skills: a skill library (a skills/ source tree or PolicySkill YAML); a policy that calls its
  helpers runs with them inlined, as the controller emits it.`;

const TEST_FILE = /\.policytest\.(ya?ml|json)$/;

function findTestFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTestFiles(full));
    else if (TEST_FILE.test(entry.name)) found.push(full);
  }
  return found;
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ⏎ ');

export async function testCommand(argv: string[], io: CommandIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const skillsAt = argv.indexOf('--skills');
  let prepare: ((policy: JsPolicy) => JsPolicy) | undefined;
  if (skillsAt >= 0) {
    const target = argv[skillsAt + 1];
    if (!target) {
      io.stderr(`gptpolicy test: --skills needs a directory or file\n${USAGE}\n`);
      return 2;
    }
    argv = [...argv.slice(0, skillsAt), ...argv.slice(skillsAt + 2)];
    const skills = (await loadLibrary(target)) as PolicySkill[];
    prepare = (policy) => ({ ...policy, spec: { ...policy.spec, javascript: inlineHelpers(policy.spec.javascript ?? '', skills, { verifiedOnly: false }).javascript } });
  }
  const unknown = argv.find((a) => a.startsWith('-'));
  if (unknown) {
    io.stderr(`gptpolicy test: unknown option ${unknown}\n${USAGE}\n`);
    return 2;
  }
  if (argv.length === 0) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  const files: string[] = [];
  const engines = new Set<string>();
  let failed = 0;
  let passed = 0;
  for (const arg of argv) {
    if (!existsSync(arg)) {
      io.stdout(`FAIL ${arg} — no such file or directory\n`);
      failed += 1;
      continue;
    }
    if (statSync(arg).isDirectory()) {
      const inDir = findTestFiles(arg);
      if (inDir.length === 0) io.stderr(`gptpolicy test: no *.policytest.yaml files under ${arg}\n`);
      files.push(...inDir);
    } else {
      files.push(arg);
    }
  }
  for (const file of files) {
    let results;
    try {
      results = runPolicyTestFile(file, prepare ? { prepare } : {});
    } catch (error) {
      io.stdout(`FAIL ${file} — ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
      failed += 1;
      continue;
    }
    for (const result of results) {
      if (result.actual?.v8) engines.add(result.actual.v8);
      if (result.passed) {
        passed += 1;
        io.stdout(`PASS ${file} › ${result.name}\n`);
      } else {
        failed += 1;
        io.stdout(`FAIL ${file} › ${result.name} — ${oneLine(result.failures.join('; '))}\n`);
      }
    }
  }
  if (passed + failed === 0) {
    io.stderr('gptpolicy test: no PolicyTest cases found\n');
    failed = 0;
    io.stdout('0 passed, 0 failed\n');
    return 1;
  }
  if (engines.size > 0) io.stderr(`policies ran on V8 ${[...engines].join(', ')}\n`);
  io.stdout(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}
