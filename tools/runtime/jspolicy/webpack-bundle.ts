// jsPolicy does not run spec.javascript as written. Its reconciler (loft-sh/jspolicy v0.2.2,
// pkg/controllers/jspolicy.go:238 compileBundle → pkg/bundle/bundle.go:53 Bundle) writes index.js,
// package.json and its webpack.config.js into a fresh temp dir, runs `webpack-cli --config
// webpack.config.js` there (30 s, DefaultBundleTimeout, jspolicy.go:37), and stores base64(gzip) of
// dist/bundle.js as the JsPolicyBundle every run executes (handler.go:135-152 getBundle). On failure
// the condition BundleCompiled=False/CompileFailed holds the error text (jspolicy.go:246).
//
// webpackLikeJsPolicy does the same, synchronously (the runtime's reconciles and admission hooks are
// plain function calls): the files are written here, the command runs in a warm service process
// (webpack-server.ts, with the pinned webpack 5.75.0 / webpack-cli 5.0.1 / terser 5.16.4 the image of
// v0.2.2 resolved in Feb 2023), and every result is cached in memory and on disk
// (node_modules/.cache/gptpolicy-webpack/, keyed by sha256 of the toolchain versions and the exact
// inputs), so the test suite only pays for webpack when a policy's text changes.
import { createHash, randomInt } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ServiceProcess } from '../engine/pool.ts';
import type { CliRequest, CliRun } from './webpack-server.ts';

/** Set by build.mjs in bundles: the compile service's script beside the bundle (like GPTPOLICY_ENGINE_CHILD). */
declare const GPTPOLICY_WEBPACK_SERVER: string | undefined;

/** pkg/bundle/bundle.go:19-29, byte for byte (a Go raw string: no trailing newline). WEBPACK_CONFIG may replace it there (bundle.go:32-37); not here. */
export const JSPOLICY_WEBPACK_CONFIG = `const path = require('path');

module.exports = {
    mode: 'production',
    entry: './index.js',
    output: {
        path: path.resolve(__dirname, 'dist'),
        filename: 'bundle.js',
        libraryTarget: 'commonjs',
    },
};`;

/** jspolicy.go:37 DefaultBundleTimeout (BUNDLE_TIMEOUT seconds may replace it there, jspolicy.go:50-60). */
export const JSPOLICY_BUNDLE_TIMEOUT_MS = 30_000;

/** Bump when what this file or webpack-server.ts produces for the same inputs changes (invalidates the disk cache). */
const STEP_VERSION = 1;

/**
 * bundle.go:61-67: json.Marshal of a Go map (keys sorted, no spaces); a nil dependencies map is `null`.
 * Go escapes <, >, & and U+2028/9 in strings; none of the fixed values has them, dependencies are refused.
 */
export function jsPolicyPackageJson(dependencies?: Record<string, string> | null): string {
  const deps = dependencies ? Object.fromEntries(Object.keys(dependencies).sort().map((k) => [k, dependencies[k]])) : null;
  return JSON.stringify({ dependencies: deps, description: 'this is a temporary package', main: './index.js', name: 'my_package', version: '1.0.0' });
}

export type WebpackResult =
  | { ok: true; javascript: string; from: WebpackSource; ms: number }
  | { ok: false; message: string; from: WebpackSource; ms: number };

/** Where a result came from: this process's memory, the disk cache, or a webpack run now. */
export type WebpackSource = 'memory' | 'disk' | 'webpack';

export interface WebpackOptions {
  /** Default 30 s (DefaultBundleTimeout). */
  timeoutMs?: number;
  /** Use and fill the caches (default true). false = always run webpack (bench timings). */
  cache?: boolean;
  /** spec.dependencies: only null/absent or empty ({} gives `"dependencies":{}` in package.json); anything else needs npm install and throws. */
  dependencies?: Record<string, string> | null;
  /** 'service' (default): the warm compile service; 'process': a fresh `node webpack-cli/bin/cli.js` per compile, as jsPolicy runs it (slower by node and webpack start-up). */
  runner?: WebpackRunner;
}

/** Counters for tests and the bench: how often each source answered. */
export const webpackCounters = { webpack: 0, disk: 0, memory: 0 };

/** Go's time.Duration.String() for whole milliseconds: 30s, 1.5s, 250ms, 1m30s. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = ((ms % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  return `${hours > 0 ? `${hours}h` : ''}${hours > 0 || minutes > 0 ? `${minutes}m` : ''}${seconds}s`;
}

const require_ = createRequire(import.meta.url);

interface Toolchain {
  cliPackageJson: string;
  /** name@version of everything that shapes the output, for the cache key. */
  versions: string[];
}

let toolchain: Toolchain | null | undefined;

function findToolchain(): Toolchain | null {
  try {
    const cliPackageJson = require_.resolve('webpack-cli/package.json');
    const fromCli = createRequire(cliPackageJson);
    const webpackPackageJson = fromCli.resolve('webpack/package.json');
    const fromWebpack = createRequire(webpackPackageJson);
    const terserPluginPackageJson = fromWebpack.resolve('terser-webpack-plugin/package.json');
    const files = [
      cliPackageJson,
      webpackPackageJson,
      terserPluginPackageJson,
      createRequire(terserPluginPackageJson).resolve('terser/package.json'),
      fromWebpack.resolve('acorn/package.json'),
      fromWebpack.resolve('enhanced-resolve/package.json'),
      fromWebpack.resolve('webpack-sources/package.json'),
    ];
    const versions = files.map((file) => {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name: string; version: string };
      return `${manifest.name}@${manifest.version}`;
    });
    return { cliPackageJson, versions };
  } catch {
    return null;
  }
}

let noticed = false;

/** The service's script as shipped (bundles: beside the bundle) or its TypeScript source (running from sources). */
function serverSource(): { built: string } | { source: string } {
  if (typeof GPTPOLICY_WEBPACK_SERVER === 'string') return { built: fileURLToPath(new URL(GPTPOLICY_WEBPACK_SERVER, import.meta.url)) };
  return { source: fileURLToPath(new URL('./webpack-server.ts', import.meta.url)) };
}

let serverPresent: boolean | undefined;

/**
 * Whether jsPolicy's webpack step runs here: webpack-cli must be installed (a devDependency: a
 * checkout after npm ci), the service's script present (runner 'service'), and GPTPOLICY_WEBPACK not
 * "off". Otherwise the runtime falls back to a syntax check and runs spec.javascript as written, and
 * says so once.
 */
export function webpackAvailable(runner: WebpackRunner = 'service'): boolean {
  if (process.env.GPTPOLICY_WEBPACK === 'off') return false;
  if (toolchain === undefined) toolchain = findToolchain();
  if (runner === 'service' && serverPresent === undefined) {
    const server = serverSource();
    serverPresent = existsSync('built' in server ? server.built : server.source);
  }
  const available = toolchain !== null && (runner === 'process' || serverPresent === true);
  if (!available && runner === 'service' && !noticed) {
    noticed = true;
    process.stderr.write(
      "gptpolicy: webpack-cli (or the compile service's script) is not installed here; jsPolicy's compile step (webpack) is replaced by a syntax check and spec.javascript runs as written (tools/runtime/README.md)\n",
    );
  }
  return available;
}

let builtServer: string | undefined;

/** The compile service's script: beside the bundle, or built from webpack-server.ts for the host Node (running from sources). */
export function webpackServerScript(): string {
  const server = serverSource();
  if ('built' in server) return server.built;
  if (builtServer) return builtServer;
  const esbuild = require_('esbuild') as typeof import('esbuild');
  const source = esbuild.buildSync({
    entryPoints: [server.source],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  }).outputFiles[0]!.text;
  const file = join(tmpdir(), `gptpolicy-webpack-server-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.cjs`);
  if (!existsSync(file)) writeFileSync(file, source);
  builtServer = file;
  return file;
}

let service: ServiceProcess | undefined;

function cacheDirectory(): string {
  const candidates: string[] = [];
  if (toolchain) {
    // <node_modules>/webpack-cli/package.json → <node_modules>/.cache/gptpolicy-webpack
    candidates.push(join(dirname(dirname(toolchain.cliPackageJson)), '.cache', 'gptpolicy-webpack'));
  }
  candidates.push(join(tmpdir(), 'gptpolicy-webpack-cache'));
  for (const dir of candidates) {
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
      return dir;
    } catch {
      // next
    }
  }
  return candidates[candidates.length - 1]!;
}

let cacheDir: string | undefined;

type Stored = { ok: true; javascript: string } | { ok: false; message: string };

const memory = new Map<string, Stored>();
const MEMORY_ENTRIES = 512;

function cacheKey(javascript: string, packageJson: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ step: STEP_VERSION, toolchain: toolchain?.versions ?? [], config: JSPOLICY_WEBPACK_CONFIG, packageJson, command: 'webpack-cli --config webpack.config.js' }))
    .update('\0')
    .update(javascript)
    .digest('hex');
}

function remember(key: string, value: Stored): void {
  if (memory.size >= MEMORY_ENTRIES) memory.delete(memory.keys().next().value as string);
  memory.set(key, value);
}

function readDisk(key: string): Stored | undefined {
  try {
    const value = JSON.parse(readFileSync(join(cacheDir!, `${key}.json`), 'utf8')) as Stored;
    return typeof value === 'object' && value !== null && (value.ok ? typeof value.javascript === 'string' : typeof value.message === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

function writeDisk(key: string, value: Stored): void {
  const file = join(cacheDir!, `${key}.json`);
  const temporary = `${file}.${process.pid}.${randomInt(1 << 30)}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(value));
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}

/**
 * ioutil.TempDir("", "") (bundle.go:54): in Go 1.17 (jsPolicy's builder image) a directory in
 * os.TempDir() named by a random uint32 in decimal, mode 0700. Webpack prints this path in
 * "Module not found" errors, so its shape shows in CompileFailed messages.
 */
function makeTempDir(): string {
  for (;;) {
    const dir = join(tmpdir(), String(randomInt(2 ** 32)));
    try {
      mkdirSync(dir, { mode: 0o700 });
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** How `webpack-cli --config webpack.config.js` is run: in the warm service, or as a fresh process like jsPolicy's exec.Command. */
export type WebpackRunner = 'service' | 'process';

/** bundle.go:116-148 commandWithTimeout, for `webpack-cli --config webpack.config.js` in `dir`. */
function webpackCliCommand(dir: string, timeoutMs: number, runner: WebpackRunner): CliRun | { lost: 'hang' | 'crash'; detail: string } {
  const cli = join(dirname(toolchain!.cliPackageJson), 'bin', 'cli.js');
  if (runner === 'process') {
    // One file as cmd.Stdout and cmd.Stderr: the two streams interleave in write order, as in Go's shared Buffer.
    const outputFile = join(dir, '..', `${dir.slice(dir.lastIndexOf('/') + 1)}.out`);
    const fd = openSync(outputFile, 'w');
    try {
      const child = spawnSync(process.execPath, [cli, '--config', 'webpack.config.js'], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', fd, fd], timeout: timeoutMs, killSignal: 'SIGKILL' });
      const output = readFileSync(outputFile, 'utf8');
      if (child.error && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { lost: 'hang', detail: 'timed out' };
      if (child.status === null) return { lost: 'crash', detail: `${output} signal: ${child.signal === 'SIGKILL' ? 'killed' : child.signal}` };
      return { output, exitCode: child.status, exited: true };
    } finally {
      closeSync(fd);
      rmSync(outputFile, { force: true });
    }
  }
  service ??= new ServiceProcess({ command: process.execPath, args: [webpackServerScript(), toolchain!.cliPackageJson] });
  // argv as bin/cli.js sees it in the pod: webpack-cli is found on PATH (npm install -g webpack-cli, Dockerfile).
  const request: CliRequest = { op: 'webpack-cli', cwd: dir, argv: [process.execPath, '/usr/local/bin/webpack-cli', '--config', 'webpack.config.js'] };
  const answer = service.call(request, timeoutMs) as CliRun | { lost: 'hang' | 'crash'; detail: string };
  if ('lost' in answer || answer.exited) service = undefined;
  return answer;
}

/** bundle.go:53-111 Bundle, without dependencies (npm install, bundle.go:91-96, is refused before this point). */
function bundleLikeJsPolicy(javascript: string, packageJson: string, timeoutMs: number, runner: WebpackRunner): Stored & { cacheable: boolean } {
  const dir = makeTempDir();
  try {
    // Go's ioutil.WriteFile error texts are not reproduced: these writes only fail on a broken host, which throws.
    writeFileSync(join(dir, 'index.js'), javascript, { mode: 0o666 }); // bundle.go:73
    writeFileSync(join(dir, 'package.json'), packageJson, { mode: 0o666 }); // bundle.go:79
    writeFileSync(join(dir, 'webpack.config.js'), JSPOLICY_WEBPACK_CONFIG, { mode: 0o666 }); // bundle.go:85
    const answer = webpackCliCommand(dir, timeoutMs, runner);
    if ('lost' in answer) {
      if (answer.lost === 'hang') {
        // bundle.go:137-140, wrapped by bundle.go:101.
        return { ok: false, message: `error bundling javascript: the command webpack-cli --config webpack.config.js timed out after ${goDuration(timeoutMs)}`, cacheable: false };
      }
      // The command died: Go prints "<output> signal: killed" (*exec.ExitError); a lost service has no output.
      return { ok: false, message: `error bundling javascript: ${answer.detail}`, cacheable: false };
    }
    if (answer.exitCode !== 0) {
      // bundle.go:144 fmt.Errorf("%s %v", buf.String(), err), err an *exec.ExitError ("exit status N"), wrapped by bundle.go:101.
      return { ok: false, message: `error bundling javascript: ${answer.output} exit status ${answer.exitCode}`, cacheable: true };
    }
    const bundle = join(dir, 'dist', 'bundle.js');
    // bundle.go:105-108 errors.Wrap(err, "read bundle.js")
    if (!existsSync(bundle)) return { ok: false, message: `read bundle.js: open ${bundle}: no such file or directory`, cacheable: true };
    return { ok: true, javascript: readFileSync(bundle, 'utf8'), cacheable: true };
  } finally {
    rmSync(dir, { recursive: true, force: true }); // bundle.go:58
  }
}

/**
 * jsPolicy's compile of spec.javascript (no dependencies): the webpack output, or the CompileFailed
 * message jsPolicy stores. Synchronous; throws when webpack is not available (check webpackAvailable()).
 */
export function webpackLikeJsPolicy(javascript: string, options: WebpackOptions = {}): WebpackResult {
  if (!webpackAvailable(options.runner)) throw new Error("webpack-cli is not installed (or GPTPOLICY_WEBPACK=off): jsPolicy's compile step cannot run here");
  const started = performance.now();
  const useCache = options.cache !== false;
  if (Object.keys(options.dependencies ?? {}).length > 0) throw new Error('spec.dependencies need npm install (bundle.go:91-96), which the local runtime never runs');
  const packageJson = jsPolicyPackageJson(options.dependencies);
  const key = cacheKey(javascript, packageJson);
  const finish = (value: Stored, from: WebpackSource): WebpackResult => {
    webpackCounters[from] += 1;
    return { ...value, from, ms: performance.now() - started };
  };
  if (useCache) {
    const inMemory = memory.get(key);
    if (inMemory) return finish(inMemory, 'memory');
    cacheDir ??= cacheDirectory();
    const onDisk = readDisk(key);
    if (onDisk) {
      remember(key, onDisk);
      return finish(onDisk, 'disk');
    }
  }
  const { cacheable, ...result } = bundleLikeJsPolicy(javascript, packageJson, options.timeoutMs ?? JSPOLICY_BUNDLE_TIMEOUT_MS, options.runner ?? 'service');
  if (cacheable) {
    remember(key, result);
    cacheDir ??= cacheDirectory();
    writeDisk(key, result);
  }
  return finish(result, 'webpack');
}

/** Forgets the in-memory results (tests: the next compile reads the disk cache). */
export function forgetWebpackResults(): void {
  memory.clear();
}

export interface Rebundled {
  javascript: string;
  ms: number;
}

/**
 * For the bench: jsPolicy's webpack step run now, uncached, as jsPolicy runs it (a fresh webpack-cli
 * process, so the time includes Node's and webpack's start-up, as on jsPolicy's leader).
 */
export async function rebundleLikeJsPolicy(javascript: string, runner: WebpackRunner = 'process'): Promise<Rebundled | { error: string }> {
  if (!webpackAvailable(runner)) return { error: 'webpack-cli is not installed' };
  const result = webpackLikeJsPolicy(javascript, { cache: false, runner });
  return result.ok ? { javascript: result.javascript, ms: result.ms } : { error: result.message.slice(0, 300) };
}
