// `gptpolicy lint FILE... [--json] [--profile generated|jspolicy] [--cluster FILE] [--skills DIR|FILE] [--description TEXT]`
// Lints every JsPolicy in the given YAML files (multi-document, `kind: List` items included) against the
// built-in resources plus the CRDs found in --cluster (a YAML dump such as `kubectl get crd -o yaml`).
// --description is the intent the policy was written for: what it may reach beyond namespaces
// (RBAC and cluster-scoped kinds) and whether it may read the clock are judged against it.
// Exit code: 0 no errors, 1 any error finding (or unreadable file), 2 usage error.
import { readFile } from 'node:fs/promises';
import { isScalar, parseAllDocuments, Scalar, type Document } from 'yaml';
import { BUILTIN_RESOURCES, type ServedResource } from '../../lib/k8s/builtin-resources.ts';
import { crdToServedResources } from '../../lib/k8s/crd-resources.ts';
import type { PolicySkill } from '../../lib/skills/types.ts';
import { loadLibrary } from '../skills/load.ts';
import { findingPlace, lintPolicy, lintSummary, type Finding, type LintProfile } from '../../lib/lint/index.ts';

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
}

const USAGE = 'usage: gptpolicy lint FILE... [--json] [--profile generated|jspolicy] [--cluster FILE] [--skills DIR|FILE] [--description TEXT]\n';

interface Args {
  files: string[];
  json: boolean;
  profile: LintProfile;
  cluster?: string;
  skills?: string;
  description?: string;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = { files: [], json: false, profile: 'generated' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    if (flag === '--json') args.json = true;
    else if (flag === '--profile') {
      const v = value();
      if (v !== 'generated' && v !== 'jspolicy') return `--profile must be generated or jspolicy (got ${v ?? 'nothing'})`;
      args.profile = v;
    } else if (flag === '--cluster') {
      const v = value();
      if (!v) return '--cluster needs a file';
      args.cluster = v;
    } else if (flag === '--skills') {
      const v = value();
      if (!v) return '--skills needs a directory or file';
      args.skills = v;
    } else if (flag === '--description') {
      const v = value();
      if (!v) return '--description needs the intent, e.g. --description "Deny pods labelled env=prod in namespace test"';
      args.description = v;
    } else if (flag === '-h' || flag === '--help') return '';
    else if (a.startsWith('-') && a !== '-') return `unknown option ${a}`;
    else args.files.push(a);
  }
  if (args.files.length === 0) return 'no files given';
  return args;
}

/** Every object in a YAML stream, with the Document it came from; `kind: List` items are flattened. */
function objects(text: string): Array<{ obj: unknown; doc: Document; path: Array<string | number> }> {
  const out: Array<{ obj: unknown; doc: Document; path: Array<string | number> }> = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(doc.errors[0]?.message ?? 'YAML error');
    const obj = doc.toJS() as { kind?: string; items?: unknown[] } | null;
    if (obj && typeof obj === 'object' && typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      obj.items.forEach((item, i) => out.push({ obj: item, doc, path: ['items', i] }));
    } else if (obj !== null && obj !== undefined) out.push({ obj, doc, path: [] });
  }
  return out;
}

/** 1-based file line of javascript line 1, when spec.javascript is a block scalar (`|`). */
function javascriptFirstLine(doc: Document, path: Array<string | number>, text: string): number | undefined {
  const node = doc.getIn([...path, 'spec', 'javascript'], true);
  if (!isScalar(node) || !node.range) return undefined;
  if (node.type !== Scalar.BLOCK_LITERAL && node.type !== Scalar.BLOCK_FOLDED) return undefined;
  let line = 1;
  for (let i = 0; i < node.range[0] && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line + 1;
}

interface Result {
  file: string;
  policy: string;
  findings: Array<Finding & { fileLine?: number }>;
}

export async function lintCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr((args ? `gptpolicy lint: ${args}\n` : '') + USAGE);
    return 2;
  }
  const resources: ServedResource[] = [...BUILTIN_RESOURCES];
  if (args.cluster) {
    try {
      for (const { obj } of objects(await readFile(args.cluster, 'utf8'))) resources.push(...crdToServedResources(obj));
    } catch (e) {
      io.stderr(`gptpolicy lint: cannot read --cluster ${args.cluster}: ${(e as Error).message}\n`);
      return 2;
    }
  }

  // A library's helpers count as declared, as the controller lints against its skills.
  let helpers: string[] = [];
  if (args.skills) {
    try {
      helpers = ((await loadLibrary(args.skills)) as PolicySkill[]).filter((s) => s.spec?.kind === 'helper').map((s) => s.spec.function);
    } catch (e) {
      io.stderr(`gptpolicy lint: cannot read --skills ${args.skills}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const results: Result[] = [];
  let failed = false;
  for (const file of args.files) {
    let text: string;
    let objs: ReturnType<typeof objects>;
    try {
      text = await readFile(file, 'utf8');
      objs = objects(text);
    } catch (e) {
      io.stderr(`${file}: ${(e as Error).message}\n`);
      failed = true;
      continue;
    }
    let count = 0;
    for (const { obj, doc, path } of objs) {
      const o = obj as { kind?: unknown; apiVersion?: unknown; metadata?: { name?: unknown } };
      const jsPolicyGroup = typeof o?.apiVersion === 'string' && o.apiVersion.startsWith('policy.jspolicy.com/');
      if (o?.kind !== 'JsPolicy' && !(jsPolicyGroup && o?.kind !== 'JsPolicyBundle' && o?.kind !== 'JsPolicyViolations')) continue;
      count++;
      const first = javascriptFirstLine(doc, path, text);
      const findings = lintPolicy(obj, { profile: args.profile, resources, helpers, ...(args.description !== undefined ? { description: args.description } : {}) }).map((f) =>
        f.line !== undefined && first !== undefined ? { ...f, fileLine: first + f.line - 1 } : f,
      );
      results.push({ file, policy: typeof o.metadata?.name === 'string' ? o.metadata.name : '(unnamed)', findings });
    }
    if (count === 0) io.stderr(`${file}: no JsPolicy found\n`);
  }

  const all = results.flatMap((r) => r.findings);
  const summary = lintSummary(all);
  if (args.json) {
    io.stdout(JSON.stringify({ profile: args.profile, results, summary: { policies: results.length, ...summary } }, null, 2) + '\n');
  } else {
    for (const r of results) {
      for (const f of r.findings) {
        const place = findingPlace(f) + (f.fileLine !== undefined ? `, line ${f.fileLine}` : '');
        io.stdout(`${r.file}: ${r.policy}: ${f.severity} ${f.rule} (${place}): ${f.message}\n  hint: ${f.hint}\n`);
      }
    }
    const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
    io.stdout(
      `${results.length} ${results.length === 1 ? 'policy' : 'policies'} checked (${args.profile} profile): ${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}\n`,
    );
  }
  return failed || summary.errors > 0 ? 1 : 0;
}
