// Stand-in for jsPolicy's bundling step (pkg/bundle/bundle.go: npm install + webpack). The local runtime
// does not run webpack: it checks that spec.javascript parses the way a policy run executes it
// (`var __policy = '<name>'; var request = …; <javascript>` as one classic script). Source that only
// parses as an ES module (import/export) is accepted as webpack would, as long as every bare import is
// listed in spec.dependencies; webpack's "Module not found" is reported otherwise.
import vm from 'node:vm';
import { createHash } from 'node:crypto';
import * as acorn from 'acorn';
import type { JsPolicy } from '../../../lib/k8s/types.ts';

export type CompileCheck = { ok: true; module: boolean } | { ok: false; message: string };

function acornError(source: string, sourceType: 'script' | 'module'): { message: string; line?: number; column?: number } | undefined {
  try {
    acorn.parse(source, { ecmaVersion: 'latest', sourceType, allowHashBang: true });
    return undefined;
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    return { message: (error as Error).message, line: loc?.line, column: loc?.column };
  }
}

function importedModules(source: string): string[] {
  const program = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
  const sources: string[] = [];
  for (const node of program.body) {
    if ((node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') && node.source) {
      sources.push(String(node.source.value));
    }
  }
  return sources;
}

/** The npm package a bare specifier names ("lodash/fp" → "lodash", "@a/b/c" → "@a/b"); undefined for relative paths. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export function checkPolicyJavascript(policy: JsPolicy): CompileCheck {
  const javascript = policy.spec?.javascript;
  if (!javascript) return { ok: true, module: false };
  const name = policy.metadata?.name ?? '';
  const wrapped = `var __policy = ${JSON.stringify(name)}; var request = null; ${javascript}`;
  try {
    new vm.Script(wrapped, { filename: name });
    return { ok: true, module: false };
  } catch (error) {
    const scriptMessage = `${(error as Error).name ?? 'SyntaxError'}: ${(error as Error).message}`;
    if (acornError(javascript, 'module') === undefined) {
      const dependencies = policy.spec?.dependencies ?? {};
      for (const specifier of importedModules(javascript)) {
        const pkg = packageOf(specifier);
        if (pkg === undefined) return { ok: false, message: `Module not found: Error: Can't resolve '${specifier}' in '/tmp/bundle' (the local runtime bundles a single file)` };
        if (!Object.prototype.hasOwnProperty.call(dependencies, pkg)) {
          return { ok: false, message: `Module not found: Error: Can't resolve '${specifier}' in '/tmp/bundle' (add "${pkg}" to spec.dependencies)` };
        }
      }
      return { ok: true, module: true };
    }
    const located = acornError(javascript, 'script');
    const where = located?.line !== undefined ? ` (line ${located.line}, column ${(located.column ?? 0) + 1})` : '';
    return { ok: false, message: `${scriptMessage}${where}` };
  }
}

/** Go json.Marshal escaping of <, >, & and U+2028/U+2029. */
function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * status.bundleHash: sha256 hex of {"dependencies":…,"javascript":…} as Go marshals it ("" without
 * javascript). Approximate: jsPolicy hashes its own Go struct; key order and escaping are reproduced,
 * byte equality with a real cluster is not guaranteed.
 */
export function bundleHash(policy: JsPolicy): string {
  const javascript = policy.spec?.javascript;
  if (!javascript) return '';
  const deps = policy.spec?.dependencies;
  const sorted = deps ? Object.fromEntries(Object.keys(deps).sort().map((key) => [key, deps[key]])) : null;
  return createHash('sha256').update(goJson({ dependencies: sorted, javascript })).digest('hex');
}
