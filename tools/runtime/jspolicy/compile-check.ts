// jsPolicy's compile step (pkg/bundle/bundle.go: npm install + webpack), as the reconcile and the
// PolicyTest runner see it. spec.javascript without dependencies is compiled by webpack exactly as
// jsPolicy does (webpack-bundle.ts): the result is the bundle every run executes, or the CompileFailed
// message jsPolicy stores. Two cases cannot run webpack here and keep the older stand-in, a syntax check
// of spec.javascript the way a policy run executes it (`var __policy = '<name>'; var request = …;
// <javascript>` as one classic script, module syntax accepted when every bare import is listed in
// spec.dependencies): a policy with spec.dependencies (jsPolicy would npm install them; the local
// runtime never does), and a machine without webpack-cli installed or with GPTPOLICY_WEBPACK=off.
import { createHash } from 'node:crypto';
import * as acorn from 'acorn';
import type { JsPolicy } from '../../../lib/k8s/types.ts';
import { syntaxErrorInEngine } from '../engine/index.ts';
import { webpackAvailable, webpackLikeJsPolicy, type WebpackOptions } from './webpack-bundle.ts';

/**
 * ok: `bundle` is webpack's output (what jsPolicy stores and runs), absent when webpack did not run
 * (dependencies, or no webpack here); `module` says the javascript only parses as an ES module (syntax check only).
 */
export type CompileCheck = { ok: true; module: boolean; bundle?: string } | { ok: false; message: string };

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

/** Whether the code uses import/export (a script never does), so only a module reading can take it. */
function hasModuleSyntax(source: string): boolean {
  const program = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
  return program.body.some((node) => node.type === 'ImportDeclaration' || node.type.startsWith('Export'));
}

/** The npm package a bare specifier names ("lodash/fp" → "lodash", "@a/b/c" → "@a/b"); undefined for relative paths. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Whether jsPolicy would run npm install for this policy (bundle.go:91: len(dependencies) > 0). */
export function hasDependencies(policy: JsPolicy): boolean {
  return Object.keys(policy.spec?.dependencies ?? {}).length > 0;
}

/**
 * What jsPolicy's reconcile makes of spec.javascript: webpack's bundle, or the CompileFailed message
 * (`error bundling javascript: <webpack-cli output> exit status 1`, jspolicy.go:246). Falls back to
 * syntaxCheckPolicyJavascript for policies with dependencies and where webpack is not installed.
 */
export function checkPolicyJavascript(policy: JsPolicy, options: WebpackOptions = {}): CompileCheck {
  const javascript = policy.spec?.javascript;
  if (!javascript) return { ok: true, module: false };
  if (hasDependencies(policy) || !webpackAvailable()) return syntaxCheckPolicyJavascript(policy);
  const compiled = webpackLikeJsPolicy(javascript, { ...options, dependencies: policy.spec?.dependencies });
  return compiled.ok ? { ok: true, module: false, bundle: compiled.javascript } : { ok: false, message: compiled.message };
}

/** The stand-in without webpack: spec.javascript must parse as jsPolicy runs it (imports listed in dependencies). */
export function syntaxCheckPolicyJavascript(policy: JsPolicy): CompileCheck {
  const javascript = policy.spec?.javascript;
  if (!javascript) return { ok: true, module: false };
  const name = policy.metadata?.name ?? '';
  const wrapped = `var __policy = ${JSON.stringify(name)}; var request = null; ${javascript}`;
  // Parsed by the V8 that will run it (9.6 in the engine), not by this Node's.
  const scriptMessage = syntaxErrorInEngine(wrapped, name);
  if (scriptMessage === undefined) return { ok: true, module: false };
  {
    if (acornError(javascript, 'module') === undefined && hasModuleSyntax(javascript)) {
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
