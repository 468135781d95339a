// Runs lib/sandbox the way the controller will: bundled by esbuild with the build's policy options
// (iife, platform neutral, es2020) and evaluated in a fresh context of the policy engine (V8 9.6, as in
// jsPolicy) that looks like a jsPolicy run (jsPolicy's natives as read-only globals, its prepare script,
// then `var __policy = …; var request = …;` + the bundle). lockdown() then freezes that context's realm.
// Every native is served by this harness and recorded: a test can check that no host function was
// ever called.
//
// Only strings cross the boundary (inputs and results go through JSON), so no object of the test's
// realm can leak into the sandbox and hide or fake an escape.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CandidateResult } from '../../lib/sandbox/index.ts';
import type { AdmissionRequest, KubeObject } from '../../lib/k8s/types.ts';
import { bundleForJsPolicy } from '../../tools/local/bundle-for-jspolicy.ts';
import { policyEngine, type PolicySession } from '../../tools/runtime/engine/index.ts';
import type { Arg } from '../../tools/runtime/engine/protocol.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

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

/** lib/sandbox/index.ts bundled as build.mjs bundles policies (plus a global name to reach its exports). */
export function sandboxBundle(): string {
  return bundleForJsPolicy('lib/sandbox/index.ts', 'gptSandbox');
}

export function sesSourceText(): string {
  return readFileSync(`${ROOT}node_modules/ses/dist/ses.umd.min.js`, 'utf8');
}

// Inputs and results cross the realm boundary as JSON text only.
const RUNNER = `
globalThis.__sandboxRun = (json) => JSON.stringify(gptSandbox.runCandidate(JSON.parse(json)));
globalThis.__sandboxPrepare = () => { gptSandbox.prepareSandbox(); };
globalThis.__sandboxCompile = (json) => { globalThis.__sandboxCompiled = gptSandbox.compileCandidate(JSON.parse(json)); return globalThis.__sandboxCompiled.ok; };
globalThis.__sandboxRunCompiled = (json) => { const { request, objects } = JSON.parse(json); return JSON.stringify(globalThis.__sandboxCompiled.run(request, objects)); };
`;

const TIMEOUT_MS = 20_000;

export class SandboxHost {
  readonly calls: NativeCall[] = [];
  readonly v8: string;
  private readonly session: PolicySession;

  constructor(request: unknown = { uid: 'setup', operation: 'CREATE', object: null, oldObject: null }) {
    const record = (name: string, args: Arg[]): undefined => {
      this.calls.push({ name, args: JSON.stringify(args) });
      return undefined;
    };
    const session = policyEngine().open(
      { policyName: 'gptpolicy.gptpolicy.dev', code: '', timeoutMs: TIMEOUT_MS, env: {}, files: {}, virtualClock: false, allNativesRemote: true },
      { native: record, now: () => Date.now() },
    );
    if (session === 'exhausted') throw new Error('no engine free for the sandbox harness');
    this.session = session;
    const prelude = `var __policy = 'gptpolicy.gptpolicy.dev'; var request = ${JSON.stringify(request)}; `;
    this.evaluate(prelude + sandboxBundle() + RUNNER, 'gptpolicy.gptpolicy.dev');
    this.v8 = session.v8;
  }

  /** Loads ses and locks the context's realm down (the first run does it anyway). */
  prepare(): void {
    this.evaluate('__sandboxPrepare()');
  }

  run(input: RunInput): CandidateResult {
    return JSON.parse(this.evaluate(`__sandboxRun(${JSON.stringify(JSON.stringify(input))})`) as string) as CandidateResult;
  }

  /** compileCandidate() in the context; runCompiled() then runs that candidate on one case. */
  compile(input: Omit<RunInput, 'request'>): boolean {
    return this.evaluate(`__sandboxCompile(${JSON.stringify(JSON.stringify(input))})`) as boolean;
  }

  runCompiled(request: AdmissionRequest, objects?: KubeObject[]): CandidateResult {
    return JSON.parse(this.evaluate(`__sandboxRunCompiled(${JSON.stringify(JSON.stringify({ request, objects }))})`) as string) as CandidateResult;
  }

  /** Evaluates code in the context's start compartment (the controller's side); the value comes back through JSON. */
  evaluate(code: string, filename = 'eval'): unknown {
    const reply = this.session.evaluate(code, TIMEOUT_MS, filename);
    if ('lost' in reply) throw new Error(`the engine was lost: ${reply.lost} ${reply.detail}`);
    if ('error' in reply) throw new Error(reply.error);
    return reply.json === 'undefined' ? undefined : JSON.parse(reply.json);
  }

  /** Calls of host natives, except the ones the test expects. */
  hostCalls(): NativeCall[] {
    return [...this.calls];
  }

  close(): void {
    this.session.close();
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
