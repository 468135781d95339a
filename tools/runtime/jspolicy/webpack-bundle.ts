// jsPolicy does not run spec.javascript as written: its leader writes it to index.js and bundles it
// with webpack 5 in production mode, libraryTarget commonjs (pkg/bundle/bundle.go), and stores the
// gzipped result as the JsPolicyBundle every run executes. This reproduces that step with the same
// config, so the bench can report what jsPolicy actually runs and how long its compile step takes,
// and the tests can check that what we emit survives it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Rebundled {
  javascript: string;
  ms: number;
}

/** webpack as jsPolicy runs it; undefined when webpack is not installed (it is a devDependency). */
export async function rebundleLikeJsPolicy(javascript: string): Promise<Rebundled | { error: string }> {
  let webpack: (config: object, callback: (error: Error | null, stats?: { hasErrors(): boolean; toString(): string }) => void) => void;
  try {
    webpack = createRequire(import.meta.url)('webpack');
  } catch (error) {
    return { error: `webpack is not installed: ${(error as Error).message}` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'gptpolicy-webpack-'));
  try {
    writeFileSync(join(dir, 'index.js'), javascript);
    const started = performance.now();
    // jsPolicy's generated webpack.config.js: {mode:'production', entry:'./index.js', output:{path:dist, filename:'bundle.js', libraryTarget:'commonjs'}}
    const config = { mode: 'production', context: dir, entry: './index.js', output: { path: join(dir, 'dist'), filename: 'bundle.js', libraryTarget: 'commonjs' } };
    const failure = await new Promise<string | undefined>((resolve) => webpack(config, (error, stats) => resolve(error ? error.message : stats?.hasErrors() ? stats.toString() : undefined)));
    if (failure) return { error: failure.slice(0, 300) };
    return { javascript: readFileSync(join(dir, 'dist', 'bundle.js'), 'utf8'), ms: performance.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
