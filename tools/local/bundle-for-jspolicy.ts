// A lib/ entry bundled the way build.mjs bundles code for jsPolicy's V8 (one IIFE, platform neutral,
// es2020, minified), for the Node side that needs it from sources: the sandbox test harness and the
// skill verification of the CLI and the build (build.mjs itself is a script and keeps its own copy).
import { createRequire } from 'node:module';
import { repoFile } from './paths.ts';

const built = new Map<string, string>();

export function bundleForJsPolicy(entry: string, globalName: string): string {
  const key = `${entry} ${globalName}`;
  const cached = built.get(key);
  if (cached !== undefined) return cached;
  // Loaded when needed: esbuild is a devDependency, absent from the published CLI.
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const text = esbuild.buildSync({
    entryPoints: [repoFile(entry)],
    bundle: true,
    format: 'iife',
    globalName,
    platform: 'neutral',
    target: 'es2020',
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  }).outputFiles[0]!.text;
  built.set(key, text);
  return text;
}
