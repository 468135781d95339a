// `gptpolicy skills test|export|import`: the skill library on the command line.
import { existsSync } from 'node:fs';
import { stringify } from 'yaml';
import { ANSWER_TOOL, ANSWER_TOOL_NAME } from '../../lib/model/answer.ts';
import { intentMessage, SYSTEM_PROMPT } from '../../lib/model/prompt.ts';
import { helperClosure, helperIndex } from '../../lib/skills/inline.ts';
import { skillCodeHash } from '../../lib/skills/learn.ts';
import { renderForPrompt } from '../../lib/skills/render.ts';
import type { PolicySkill } from '../../lib/skills/types.ts';
import { skillProblems } from '../../lib/skills/validate.ts';
import { verifyLibraryInEngine } from '../skills/verify-in-engine.ts';
import { repoFile } from '../local/paths.ts';
import { loadLibrary } from '../skills/load.ts';
import type { CommandIo } from './io.ts';

const USAGE = `usage: gptpolicy skills COMMAND

  test [DIR|FILE]                    verify every skill (its tests in the sandbox): one line per skill,
                                     then "N passed, N failed"; exit 1 on a failure
  export [--jsonl] [--from DIR|FILE] print the library as PolicySkill YAML; --jsonl: the verified
                                     examples as chat-format JSONL (system, user, assistant tool call)
  import FILE [--into DIR|FILE]      validate FILE's PolicySkills and print what would be added to the
                                     library (duplicates by code hash or function name are skipped)

DIR is a source library (helpers/*.ts, examples/*.ts) or a directory of PolicySkill YAML/JSON files;
the default is the starter library (skills/).`;

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ⏎ ');

function defaultLibrary(): string {
  return repoFile('skills');
}

/** Loads and shape-checks a library; invalid objects are reported and left out. */
async function load(target: string, io: CommandIo): Promise<{ skills: PolicySkill[]; invalid: number }> {
  if (!existsSync(target)) throw new Error(`${target}: no such file or directory`);
  const objects = await loadLibrary(target);
  const skills: PolicySkill[] = [];
  let invalid = 0;
  objects.forEach((o, i) => {
    const problems = skillProblems(o);
    if (problems.length === 0) skills.push(o as PolicySkill);
    else {
      invalid += 1;
      const name = (o as { metadata?: { name?: string } })?.metadata?.name ?? `object ${i + 1}`;
      io.stdout(`INVALID ${name} — ${problems.join('; ')}\n`);
    }
  });
  return { skills, invalid };
}

function optionValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  argv.splice(i, 2);
  return value;
}

async function testSkills(argv: string[], io: CommandIo): Promise<number> {
  const unknown = argv.find((a) => a.startsWith('-'));
  if (unknown) throw new Error(`unknown option ${unknown}`);
  if (argv.length > 1) throw new Error('give at most one DIR or FILE');
  const { skills, invalid } = await load(argv[0] ?? defaultLibrary(), io);
  let passed = 0;
  let failed = invalid;
  for (const { skill, verification } of verifyLibraryInEngine(skills)) {
    const label = `${skill.metadata.name} (${skill.spec.kind}${skill.spec.kind === 'helper' ? `, ${skill.spec.tests?.length ?? 0} cases` : `, ${skill.spec.example?.tests.length ?? 0} tests`})`;
    if (verification.verified) {
      passed += 1;
      io.stdout(`PASS ${label}\n`);
    } else {
      failed += 1;
      io.stdout(`FAIL ${label} › ${verification.failingCase ?? ''} — ${oneLine(verification.message ?? '')}\n`);
    }
  }
  io.stdout(`${passed} passed, ${failed} failed\n`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

/** The object as it goes into git or another cluster: no status, no server-set metadata. */
function exportable(skill: PolicySkill): PolicySkill {
  const { name, labels, annotations } = skill.metadata;
  return { apiVersion: skill.apiVersion, kind: skill.kind, metadata: { name, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) }, spec: skill.spec };
}

/** One chat-format training line for a verified example: what the controller would have asked, and the answer. */
export function trainingLine(example: PolicySkill, library: readonly PolicySkill[]): string {
  const ex = example.spec.example;
  if (!ex) throw new Error(`${example.metadata.name} is not an example`);
  const { order } = helperClosure(example.spec.calls ?? [], helperIndex(library));
  const skillsText = renderForPrompt(order);
  const user = skillsText ? `${intentMessage(ex.intent)}\n\n${skillsText}` : intentMessage(ex.intent);
  const answer = JSON.stringify({ plan: ex.plan, policy: ex.policy, tests: ex.tests });
  return JSON.stringify({
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: user },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: ANSWER_TOOL_NAME, arguments: answer } }] },
    ],
    tools: [ANSWER_TOOL],
  });
}

async function exportSkills(argv: string[], io: CommandIo): Promise<number> {
  const from = optionValue(argv, '--from') ?? defaultLibrary();
  const jsonl = argv.includes('--jsonl');
  const rest = argv.filter((a) => a !== '--jsonl');
  if (rest.length > 0) throw new Error(`unexpected ${rest[0]}`);
  const { skills, invalid } = await load(from, io);
  if (invalid > 0) return 1;
  if (!jsonl) {
    io.stdout(skills.map((s) => stringify(exportable(s), { lineWidth: 0 })).join('---\n'));
    return 0;
  }
  const checked = verifyLibraryInEngine(skills);
  const verified = checked.filter((r) => r.verification.verified).map((r) => r.skill);
  for (const r of checked) if (!r.verification.verified && r.skill.spec.kind === 'example') io.stderr(`skipped ${r.skill.metadata.name}: not verified (${r.verification.failingCase})\n`);
  const examples = verified.filter((s) => s.spec.kind === 'example');
  for (const ex of examples) io.stdout(`${trainingLine(ex, verified)}\n`);
  io.stderr(`${examples.length} examples\n`);
  return 0;
}

async function importSkills(argv: string[], io: CommandIo): Promise<number> {
  const into = optionValue(argv, '--into') ?? defaultLibrary();
  if (argv.length !== 1 || argv[0]?.startsWith('-')) throw new Error('give exactly one FILE to import');
  const library = (await load(into, { stdout: () => undefined, stderr: () => undefined })).skills;
  const { skills: incoming, invalid } = await load(argv[0] as string, io);
  const hashes = new Map(library.map((s) => [s.spec.provenance.codeHash || skillCodeHash(s.spec.code), s.metadata.name]));
  const names = new Set(library.map((s) => s.spec.function));
  const added: PolicySkill[] = [];
  for (const skill of incoming) {
    const hash = skill.spec.provenance.codeHash;
    const same = hashes.get(hash);
    if (same !== undefined) {
      io.stdout(`SKIP ${skill.metadata.name} — same code as ${same}\n`);
      continue;
    }
    if (names.has(skill.spec.function)) {
      io.stdout(`SKIP ${skill.metadata.name} — the function name ${skill.spec.function} is taken by other code\n`);
      continue;
    }
    hashes.set(hash, skill.metadata.name as string);
    names.add(skill.spec.function);
    added.push(skill);
  }
  // Verified against the library it would join, as the controller will verify it.
  const results = verifyLibraryInEngine([...library, ...added]).slice(library.length);
  for (const { skill, verification } of results) {
    io.stdout(
      verification.verified
        ? `ADD ${skill.metadata.name} (${skill.spec.kind}, ${skill.spec.provenance.source}) — verified\n`
        : `ADD ${skill.metadata.name} (${skill.spec.kind}, ${skill.spec.provenance.source}) — NOT verified: ${verification.failingCase} — ${oneLine(verification.message ?? '')}\n`,
    );
  }
  io.stdout(`${added.length} to add, ${incoming.length - added.length} duplicates, ${invalid} invalid\n`);
  return invalid > 0 ? 1 : 0;
}

export async function skillsCommand(argv: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(`${USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  try {
    switch (sub) {
      case 'test':
        return await testSkills(rest, io);
      case 'export':
        return await exportSkills(rest, io);
      case 'import':
        return await importSkills(rest, io);
      default:
        io.stderr(`gptpolicy skills: unknown command ${JSON.stringify(sub)}\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    io.stderr(`gptpolicy skills ${sub}: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
    return 2;
  }
}
