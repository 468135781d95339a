// Runs lib/sandbox the way the controller will: bundled by esbuild with the build's policy options
// (iife, platform neutral, es2020) and evaluated in a fresh node:vm context that looks like a jsPolicy
// run (V8 9.6 built-ins only, jsPolicy's natives as read-only globals, its prepare script, then
// `var __policy = …; var request = …;` + the bundle). lockdown() then freezes that context's realm, not
// vitest's. The natives are spies: a test can check that no host function was ever called.
//
// Only strings cross the realm boundary (inputs and results go through JSON), so no object of the Node
// realm can leak into the sandbox and hide or fake an escape.
import { buildSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { CandidateResult } from '../../lib/sandbox/index.ts';
import type { AdmissionRequest, KubeObject } from '../../lib/k8s/types.ts';
import { PREPARE_SCRIPT } from '../../tools/runtime/vm/prepare-script.ts';
import { ignoreRejectionsOf } from '../../tools/runtime/vm/rejections.ts';
import { REMOVE_NEWER_BUILTINS } from '../../tools/runtime/vm/v8-96.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The natives jsPolicy defines (pkg/vm/vm.go), all spied on. */
export const NATIVES = [
  '__get',
  '__list',
  '__create',
  '__update',
  '__remove',
  '__exit',
  '__fetchSync',
  'print',
  'sleep',
  'env',
  'readFileSync',
  'atob',
  'btoa',
] as const;

export interface NativeCall {
  name: string;
  args: string;
}

export interface RunInput {
  javascript: string;
  request: AdmissionRequest;
  policyType: 'Validating' | 'Mutating';
  objects?: KubeObject[];
  helpers?: string;
  stepBudget?: number;
}

let bundleCache: string | undefined;

/** lib/sandbox/index.ts bundled as build.mjs bundles policies (plus a global name to reach its exports). */
export function sandboxBundle(): string {
  bundleCache ??= buildSync({
    entryPoints: [`${ROOT}lib/sandbox/index.ts`],
    bundle: true,
    format: 'iife',
    globalName: 'gptSandbox',
    platform: 'neutral',
    target: 'es2020',
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  }).outputFiles[0]!.text;
  return bundleCache;
}

export function sesSourceText(): string {
  return readFileSync(`${ROOT}node_modules/ses/dist/ses.umd.min.js`, 'utf8');
}

// v8go's ObjectTemplate.Set(name, fn, ReadOnly): the wrappers are functions of the context's realm.
const DEFINE_NATIVES = `((natives) => {
  for (const name of Object.keys(natives)) {
    const native = natives[name];
    const fn = { [name](...args) { return native(name, JSON.stringify(args) ?? 'undefined'); } }[name];
    Object.defineProperty(globalThis, name, { value: fn, writable: false, enumerable: true, configurable: true });
  }
})`;

// Inputs and results cross the realm boundary as JSON text only.
const RUNNER = `
globalThis.__sandboxRun = (json) => JSON.stringify(gptSandbox.runCandidate(JSON.parse(json)));
globalThis.__sandboxPrepare = () => { gptSandbox.prepareSandbox(); };
globalThis.__sandboxCompile = (json) => { globalThis.__sandboxCompiled = gptSandbox.compileCandidate(JSON.parse(json)); return globalThis.__sandboxCompiled.ok; };
globalThis.__sandboxRunCompiled = (json) => { const { request, objects } = JSON.parse(json); return JSON.stringify(globalThis.__sandboxCompiled.run(request, objects)); };
`;

export class SandboxHost {
  readonly context: vm.Context;
  readonly calls: NativeCall[] = [];

  /** Milliseconds the controller script (prelude + bundle) took to compile and run its top level. */
  readonly loadMs: number;

  constructor(request: unknown = { uid: 'setup', operation: 'CREATE', object: null, oldObject: null }) {
    // afterEvaluate: Promise jobs run before runInContext returns, as V8's kAuto policy does in v8go;
    // jsPolicy drops unhandled rejections silently.
    this.context = vm.createContext({}, { microtaskMode: 'afterEvaluate' });
    vm.runInContext(REMOVE_NEWER_BUILTINS, this.context);
    ignoreRejectionsOf(vm.runInContext('Promise.prototype', this.context) as object);
    const record = (name: string, args: string): unknown => {
      this.calls.push({ name, args });
      if (name === '__exit') throw 'gptpolicy test: the host __exit was called';
      return undefined;
    };
    const natives = Object.fromEntries(NATIVES.map((n) => [n, record]));
    (vm.runInContext(DEFINE_NATIVES, this.context) as (n: object) => void)(natives);
    vm.runInContext(PREPARE_SCRIPT, this.context, { filename: 'prepare-context.js' });
    const prelude = `var __policy = 'gptpolicy.gptpolicy.dev'; var request = ${JSON.stringify(request)}; `;
    const t0 = performance.now();
    vm.runInContext(prelude + sandboxBundle() + RUNNER, this.context, { filename: 'gptpolicy.gptpolicy.dev', timeout: 20_000 });
    this.loadMs = performance.now() - t0;
  }

  /** Loads ses and locks the context's realm down (the first run does it anyway). */
  prepare(): void {
    this.evaluate('__sandboxPrepare()');
  }

  run(input: RunInput): CandidateResult {
    const out = vm.runInContext(`__sandboxRun(${JSON.stringify(JSON.stringify(input))})`, this.context, { timeout: 20_000 }) as string;
    return JSON.parse(out) as CandidateResult;
  }

  /** compileCandidate() in the context; runCompiled() then runs that candidate on one case. */
  compile(input: Omit<RunInput, 'request'>): boolean {
    return vm.runInContext(`__sandboxCompile(${JSON.stringify(JSON.stringify(input))})`, this.context) as boolean;
  }

  runCompiled(request: AdmissionRequest, objects?: KubeObject[]): CandidateResult {
    const out = vm.runInContext(`__sandboxRunCompiled(${JSON.stringify(JSON.stringify({ request, objects }))})`, this.context, { timeout: 20_000 }) as string;
    return JSON.parse(out) as CandidateResult;
  }

  /** Evaluates code in the context's start compartment (the controller's side). */
  evaluate(code: string): unknown {
    return vm.runInContext(code, this.context, { timeout: 20_000 });
  }

  /** Calls of host natives, except the ones the test expects. */
  hostCalls(): NativeCall[] {
    return [...this.calls];
  }
}

export function admission(object: Record<string, unknown> | null, extra: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return {
    uid: '00000000-0000-0000-0000-000000000001',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    name: 'web',
    namespace: 'default',
    operation: 'CREATE',
    userInfo: { username: 'alice', groups: ['system:authenticated'] },
    object: object as AdmissionRequest['object'],
    oldObject: null,
    options: null,
    ...extra,
  };
}

export function pod(name = 'web', labels: Record<string, string> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
    ...extra,
  };
}
