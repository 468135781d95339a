// Loading skill libraries on the Node side: the starter library from its typed sources (skills/), and
// PolicySkill objects from YAML/JSON files (export/import, `--skills DIR`).
//
// A helper module (skills/helpers/<kebab-name>.ts) exports ONE function, named the lowerCamelCase form
// of its file name, with a doc comment whose first sentence is the description. It may import other
// helpers (those become `calls`) and types; nothing else runs at its top level. Its code is the
// function as esbuild emits it (TS → JS, es2020, unminified), so it can be inlined verbatim into a
// policy. Its cases come from <kebab-name>.cases.ts (`cases`, optional `cluster` and `keywords`).
// An example (skills/examples/<kebab-name>.ts) default-exports an ExampleSource.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'acorn';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../lib/k8s/types.ts';
import { directCalls, skillCodeHash, skillObject } from '../../lib/skills/learn.ts';
import { functionNameOf, skillObjectName } from '../../lib/skills/names.ts';
import { renderExample } from '../../lib/skills/render.ts';
import type { PolicySkill, PolicySkillSpec, SkillTestCase } from '../../lib/skills/types.ts';
import type { ExampleSource } from '../../skills/fixtures.ts';

type Esbuild = typeof import('esbuild');

/** esbuild, loaded on first use and never bundled (the CLI bundle cannot carry its native binary). */
async function loadEsbuild(): Promise<Esbuild> {
  const name = 'esbuild';
  return (await import(name)) as Esbuild;
}

export class SkillSourceError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'SkillSourceError';
  }
}

export interface LoadOptions {
  /** Labels every object gets (e.g. app.kubernetes.io/version). */
  labels?: Record<string, string>;
}

interface AcornNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** First sentence of the doc comment right before `export function NAME`. */
export function docDescription(source: string, name: string): string | undefined {
  const at = source.indexOf(`export function ${name}`);
  if (at < 0) return undefined;
  const before = source.slice(0, at).trimEnd();
  if (!before.endsWith('*/')) return undefined;
  const start = before.lastIndexOf('/**');
  if (start < 0) return undefined;
  const text = before
    .slice(start + 3, -2)
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

const TYPE_WORDS: [RegExp, string][] = [
  [/\bK8sObject\b/g, 'object'],
  [/\bImageRef\b/g, '{registry, repository, tag, digest}'],
];

/** The TypeScript signature of `export function NAME(...)`: `NAME(params): ReturnType`, types simplified for the prompt. */
export function tsSignature(source: string, name: string): string | undefined {
  const at = source.indexOf(`export function ${name}`);
  if (at < 0) return undefined;
  const open = source.indexOf('(', at);
  let depth = 0;
  let i = open;
  for (; i < source.length; i++) {
    if (source[i] === '(') depth += 1;
    else if (source[i] === ')' && --depth === 0) break;
  }
  const params = source.slice(open + 1, i);
  const body = source.indexOf('{', i);
  const ret = source.slice(i + 1, body).replace(/^\s*:\s*/, '').trim();
  let sig = `${name}(${params.replace(/\s+/g, ' ').trim()})${ret ? `: ${ret}` : ''}`;
  for (const [re, to] of TYPE_WORDS) sig = sig.replace(re, to);
  return sig;
}

/** The function declaration's JS, its sibling-helper imports, from a helper module's source. */
export async function helperCode(file: string, source: string, name: string): Promise<{ code: string; imports: string[] }> {
  const esbuild = await loadEsbuild();
  const js = (await esbuild.transform(source, { loader: 'ts', target: 'es2020', format: 'esm', minify: false, legalComments: 'none', sourcefile: file })).code;
  const program = parse(js, { ecmaVersion: 2022, sourceType: 'module' }) as unknown as { body: AcornNode[] };
  const imports: string[] = [];
  let declaration: AcornNode | undefined;
  for (const node of program.body) {
    if (node.type === 'ImportDeclaration') {
      const from = (node.source as { value: string }).value;
      if (!/^\.\/[a-z0-9-]+\.ts$/.test(from)) throw new SkillSourceError(file, `imports ${JSON.stringify(from)}: a helper may import only other helpers (./<name>.ts) and types`);
      const expected = functionNameOf(from.slice(2, -3));
      for (const spec of node.specifiers as { type: string; imported?: { name: string }; local: { name: string } }[]) {
        if (spec.type !== 'ImportSpecifier' || spec.imported?.name !== expected || spec.local.name !== expected) {
          throw new SkillSourceError(file, `import { ${expected} } from '${from}' by its own name only`);
        }
        imports.push(expected);
      }
      continue;
    }
    if (node.type === 'ExportNamedDeclaration' && !node.declaration && !node.source) {
      const names = (node.specifiers as { local: { name: string } }[]).map((s) => s.local.name);
      if (names.length === 1 && names[0] === name) continue; // `export { name }` after the declaration
    }
    const decl = node.type === 'ExportNamedDeclaration' ? (node.declaration as AcornNode | null) : node.type === 'FunctionDeclaration' ? node : undefined;
    if (!decl || decl.type !== 'FunctionDeclaration' || declaration) {
      throw new SkillSourceError(file, `a helper module holds one exported function declaration and imports, nothing else (found ${node.type} at ${node.start})`);
    }
    if ((decl.id as { name: string }).name !== name) throw new SkillSourceError(file, `the function must be named ${name} after the file`);
    if (decl.async || decl.generator) throw new SkillSourceError(file, 'helpers cannot be async or generators');
    declaration = decl;
  }
  if (!declaration) throw new SkillSourceError(file, `exports no function ${name}`);
  const code = js.slice(declaration.start, declaration.end);
  if (/\b__\w/.test(code)) throw new SkillSourceError(file, 'the emitted code uses a name starting with "__" (esbuild lowered something): use ES2020 syntax only');
  return { code, imports: imports.sort() };
}

/** Bundles modules to one ESM text and imports it (cases and examples are data built with fixtures). */
async function importModules(dir: string, files: string[]): Promise<Record<string, Record<string, unknown>>> {
  if (files.length === 0) return {};
  const esbuild = await loadEsbuild();
  const contents = files.map((f, i) => `export * as m${i} from ${JSON.stringify(`./${path.relative(dir, f).split(path.sep).join('/')}`)};`).join('\n');
  const result = await esbuild.build({
    stdin: { contents, resolveDir: dir, loader: 'ts', sourcefile: 'skills-entry.ts' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]?.text ?? '';
  const mod = (await import(`data:text/javascript;base64,${Buffer.from(text).toString('base64')}`)) as Record<string, Record<string, unknown>>;
  return Object.fromEntries(files.map((f, i) => [f, mod[`m${i}`] ?? {}]));
}

const list = (dir: string, test: (name: string) => boolean): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter(test)
        .sort()
        .map((f) => path.join(dir, f))
    : [];

/** Whether `dir` holds a starter library in source form (helpers/*.ts). */
export function isSourceLibrary(dir: string): boolean {
  return existsSync(path.join(dir, 'helpers')) && statSync(path.join(dir, 'helpers')).isDirectory();
}

/**
 * The library in `dir` (helpers/ and examples/) as PolicySkill objects, unverified (no status): hand-
 * written provenance, code hash, description from the doc comment, tests from the cases module.
 */
export async function loadSourceSkills(dir: string, options: LoadOptions = {}): Promise<PolicySkill[]> {
  const helperFiles = list(path.join(dir, 'helpers'), (f) => f.endsWith('.ts') && !/\.(cases|test)\.ts$/.test(f));
  const exampleFiles = list(path.join(dir, 'examples'), (f) => f.endsWith('.ts') && !/\.(cases|test)\.ts$/.test(f));
  const caseFiles = helperFiles.map((f) => f.replace(/\.ts$/, '.cases.ts'));
  for (const [i, f] of caseFiles.entries()) if (!existsSync(f)) throw new SkillSourceError(helperFiles[i] as string, `has no test cases: add ${path.basename(f)}`);
  const modules = await importModules(dir, [...caseFiles, ...exampleFiles]);
  const labels = options.labels ?? {};

  const helpers: PolicySkill[] = [];
  for (const [i, file] of helperFiles.entries()) {
    const kebab = path.basename(file, '.ts');
    const name = functionNameOf(kebab);
    if (skillObjectName(name) !== kebab) throw new SkillSourceError(file, `the file name must be the kebab-case of the function name (${skillObjectName(name)}.ts)`);
    const source = readFileSync(file, 'utf8');
    const description = docDescription(source, name);
    if (!description) throw new SkillSourceError(file, `needs a doc comment (/** … */) right before export function ${name}; its first sentence is the description`);
    const { code, imports } = await helperCode(file, source, name);
    const cases = modules[caseFiles[i] as string] as { cases?: SkillTestCase[]; cluster?: KubeObject[]; keywords?: string[] };
    if (!Array.isArray(cases.cases) || cases.cases.length === 0) throw new SkillSourceError(caseFiles[i] as string, 'must export a non-empty `cases` list');
    const reads = /\b(get|list)\s*\(/.test(code);
    const spec: PolicySkillSpec = {
      function: name,
      kind: 'helper',
      description,
      signature: tsSignature(source, name) as string,
      code,
      calls: imports,
      reads,
      tests: cases.cases,
      ...(cases.cluster ? { testCluster: cases.cluster } : {}),
      ...(cases.keywords ? { keywords: cases.keywords } : {}),
      provenance: { source: 'hand-written', codeHash: skillCodeHash(code) },
    };
    helpers.push(skillObject(spec, labels));
  }

  const examples: PolicySkill[] = [];
  for (const file of exampleFiles) {
    const kebab = path.basename(file, '.ts');
    const source = (modules[file] as { default?: ExampleSource }).default;
    if (!source?.intent || !source.answer) throw new SkillSourceError(file, 'must default-export an ExampleSource {intent, answer}');
    const name = functionNameOf(`example-${kebab}`);
    const example = { intent: source.intent, ...source.answer };
    const code = renderExample(example);
    const spec: PolicySkillSpec = {
      function: name,
      kind: 'example',
      description: source.intent,
      code,
      calls: directCalls(source.answer.policy.javascript, helpers),
      reads: /\b(get|list)\s*\(/.test(source.answer.policy.javascript),
      example,
      ...(source.keywords ? { keywords: source.keywords } : {}),
      provenance: { source: 'hand-written', codeHash: skillCodeHash(code) },
    };
    examples.push(skillObject(spec, labels));
  }
  // Plain data with no shared references (fixtures reuse objects; YAML would write anchors for them).
  return JSON.parse(JSON.stringify([...helpers, ...examples])) as PolicySkill[];
}

/** PolicySkill objects from a YAML/JSON file (many documents, or a List) or a directory of them. */
export function loadSkillFiles(target: string): unknown[] {
  if (statSync(target).isDirectory()) {
    return readdirSync(target)
      .sort()
      .filter((f) => /\.(ya?ml|json)$/.test(f) || statSync(path.join(target, f)).isDirectory())
      .flatMap((f) => loadSkillFiles(path.join(target, f)));
  }
  const text = readFileSync(target, 'utf8');
  const docs = parseAllDocuments(text).map((d) => {
    if (d.errors.length > 0) throw new SkillSourceError(target, d.errors[0]?.message ?? 'invalid YAML');
    return d.toJS() as unknown;
  });
  return docs.flatMap((d) => (d && typeof d === 'object' && Array.isArray((d as { items?: unknown[] }).items) ? ((d as { items: unknown[] }).items) : d === null ? [] : [d]));
}

/** A library from a path: a source library (helpers/*.ts) or PolicySkill YAML/JSON files. */
export async function loadLibrary(target: string, options: LoadOptions = {}): Promise<unknown[]> {
  if (statSync(target).isDirectory() && isSourceLibrary(target)) return loadSourceSkills(target, options);
  return loadSkillFiles(target);
}
