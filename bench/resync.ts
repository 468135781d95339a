// Section 1 — resync cost: what one no-op controller event costs our built controller and the
// prototype's script, with 10, 100 and 1,000 GPTPolicies that are already reconciled.
//
// Each event runs as jsPolicy runs it: the ControllerLoop re-reads the object, builds the controller
// request (operation CREATE, the stored object) and calls runPolicyScript in a fresh context.
//
// V8 caches compiled scripts by source text, and jsPolicy's script text embeds the request JSON. A
// resync of unchanged objects may therefore hit that cache, an event for a changed object never does.
// A measured resync first edits a label on every watched object (outside the timing, as a user's
// edit would) so each run compiles its text afresh; "same text again" re-runs unchanged objects.
import { intentHash } from '../lib/controller/intent.ts';
import { generatedPolicyName } from '../lib/controller/naming.ts';
import { OWNER_LABEL } from '../lib/gptpolicy/api.ts';
import type { GPTPolicy } from '../lib/gptpolicy/types.ts';
import type { JsPolicy, KubeObject } from '../lib/k8s/types.ts';
import type { LocalJsPolicy } from '../tools/local/local-jspolicy.ts';
import type { ControllerLoop } from '../tools/runtime/controller/index.ts';
import { denyProdAnswer, INCIDENT_INTENT } from '../test/fixtures/answers.ts';
import { median, now, p95, timeEach } from './measure.ts';
import { figure, failedFigure, type Figure, type Section } from './report.ts';
import { answered, GP_API_VERSION, gptPolicy, JSP_API_VERSION } from './scenarios.ts';
import { describeReady, errorLines, getGptPolicy, startOurs, startPrototype } from './setup.ts';
import { PROTOTYPE_LASTAPPLIED_ANNOT } from './prototype.ts';

export interface ResyncOptions {
  /** Numbers of GPTPolicies, ascending. */
  sizes: number[];
  /** Timed GPTPolicy events per size and kind of pass (passes repeat until reached). */
  minSamples: number;
  /** GPTPolicies generated through the model for real; the others are copies of the first one's reconciled state. */
  realGenerations: number;
}

/** One stored object per controller, for the bundle section's runs. */
export interface ResyncSamples {
  ours?: KubeObject;
  prototype?: KubeObject;
}

const PASS_LABEL = 'bench.gptpolicy.dev/pass';
/** BENCH_TRACE=1: phase timings on stderr. */
const trace = (what: string, since: number): void => {
  if (process.env.BENCH_TRACE) process.stderr.write(`[bench] ${what}: ${((now() - since) / 1000).toFixed(2)} s\n`);
};
const nameOf = (i: number): string => `intent-${String(i).padStart(4, '0')}`;

interface PassTimes {
  /** ms per GPTPolicy event. */
  gp: number[];
  /** ms per JsPolicy event (our controller watches JsPolicies too). */
  jsp: number[];
  /** The same events' time inside the V8 engine: a fresh context, then the script. */
  gpEngine: number[];
  jspEngine: number[];
  /** Sum of every event of a resync (GPTPolicies and JsPolicies) divided by the number of GPTPolicies. */
  perGpPass: number[];
  runErrors: string[];
}

/** Edits a label on every object the controller watches for us (never the controller's own JsPolicy). */
function touchAll(local: LocalJsPolicy, pass: number, withJsPolicies: boolean): void {
  const objects: KubeObject[] = [...local.cluster.list(GP_API_VERSION, 'GPTPolicy')];
  if (withJsPolicies) objects.push(...local.cluster.list(JSP_API_VERSION, 'JsPolicy').filter((p) => p.metadata.labels?.[OWNER_LABEL]));
  for (const object of objects) {
    const result = local.cluster.update({ ...object, metadata: { ...object.metadata, labels: { ...object.metadata.labels, [PASS_LABEL]: String(pass) } } });
    if (!result.ok) throw new Error(`touching ${object.kind} ${object.metadata.name}: ${result.reason}: ${result.message}`);
  }
}

/**
 * Cold passes: with the controller's watch paused, a label edit on every watched object (so every
 * script text is new), then a full resync (start() = requeueAll) and every queued event timed.
 */
function coldPasses(local: LocalJsPolicy, passes: number, withJsPolicies: boolean, firstPass: number): PassTimes {
  const out: PassTimes = { gp: [], jsp: [], gpEngine: [], jspEngine: [], perGpPass: [], runErrors: [] };
  for (let p = 0; p < passes; p++) {
    // Paused, because each watch event makes the emulator copy the policy object (see the notes).
    for (const loop of local.loops) loop.stop();
    const t = now();
    touchAll(local, firstPass + p, withJsPolicies);
    trace('    touch', t);
    // start() = jsPolicy's RequeueAll of every watched object, in each controller policy.
    const keys: Array<{ loop: ControllerLoop; key: string }> = [];
    for (const loop of local.loops) {
      const started = loop.start();
      if (!started.ok) throw new Error(`controller did not restart: ${started.message}`);
      keys.push(...loop.pending().queued.map((key) => ({ loop, key })));
    }
    let total = 0;
    let gps = 0;
    for (const { loop, key } of keys) {
      const { ms, engineMs } = timeProcess(loop, key, out.runErrors);
      total += ms;
      if (key.split('|')[2] === 'GPTPolicy') {
        out.gp.push(ms);
        if (engineMs !== undefined) out.gpEngine.push(engineMs);
        gps++;
      } else {
        out.jsp.push(ms);
        if (engineMs !== undefined) out.jspEngine.push(engineMs);
      }
    }
    out.perGpPass.push(total / Math.max(1, gps));
    trace(`    pass of ${keys.length} events`, t);
    drain(local, out.runErrors);
  }
  return out;
}

/** Same-source events: unchanged GPTPolicies enqueued again (each was just run with this exact text). */
function warmEvents(local: LocalJsPolicy, samples: number): PassTimes {
  const out: PassTimes = { gp: [], jsp: [], gpEngine: [], jspEngine: [], perGpPass: [], runErrors: [] };
  const names = local.cluster.list(GP_API_VERSION, 'GPTPolicy').map((o) => o.metadata.name ?? '').slice(0, samples);
  const keys = names.map((name) => `v1alpha1|gptpolicy.dev|GPTPolicy||${name}`);
  for (const key of keys) timeProcess(local.loop, key, out.runErrors); // the text each warm event will repeat
  while (out.gp.length < samples) for (const key of keys) out.gp.push(timeProcess(local.loop, key, out.runErrors).ms);
  drain(local, out.runErrors);
  return out;
}

function timeProcess(loop: ControllerLoop, key: string, errors: string[]): { ms: number; engineMs?: number } {
  const t = now();
  const result = loop.process(key);
  const ms = now() - t;
  if (result.result !== 'allow' && errors.length < 3) errors.push(`${key}: ${result.result ?? result.skipped}: ${result.message ?? ''}`);
  return { ms, ...(result.engineMs ? { engineMs: result.engineMs.context + result.engineMs.script } : {}) };
}

function drain(local: LocalJsPolicy, errors: string[]): void {
  const rest = local.settle({ maxRuns: 100_000 });
  if (rest.runs > 0 && errors.length < 3) errors.push(`${rest.runs} more runs were queued after the pass (requeue or writes)`);
}

interface Measured {
  cold: PassTimes;
  warm: PassTimes;
  /** The emulator's own work per event, outside jsPolicy: re-reading the policy object, one cluster.get. */
  policyReread: number[];
  clusterGet: number[];
  modelCalls: number | null;
  writes: number;
}

const events = (m: Measured): number => m.cold.gp.length + m.cold.jsp.length + m.warm.gp.length + m.warm.jsp.length;

interface Installation {
  local: LocalJsPolicy;
  grow(n: number): void;
  modelCalls(): Promise<number | null>;
  /** Problems with the reconciled state (not Ready, hash mismatch): reported, the measurement still runs. */
  problems: string[];
  withJsPolicies: boolean;
  sample?: KubeObject;
  close(): Promise<void>;
}

async function oursInstallation(options: ResyncOptions, section: Section): Promise<Installation> {
  const ours = await startOurs([answered(denyProdAnswer())], { repeatLast: true });
  const { local, model, logs } = ours;
  const problems: string[] = [];
  const real = Math.max(1, Math.min(options.realGenerations, options.sizes[0] ?? 1));
  for (let i = 0; i < real; i++) local.apply(gptPolicy(nameOf(i), INCIDENT_INTENT));
  const settled = local.settle({ maxRuns: 100 * real + 100 });
  if (!settled.settled) problems.push(`the first ${real} GPTPolicies did not settle (${settled.runs} runs)`);
  const generated: GPTPolicy[] = [];
  for (let i = 0; i < real; i++) generated.push(getGptPolicy(local, nameOf(i)) as GPTPolicy);
  const notReady = generated.filter((gp) => gp.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True');
  if (notReady.length > 0) {
    problems.push(
      `${notReady.length}/${real} generated GPTPolicies are not Ready (${describeReady(notReady[0])})` +
        (errorLines(logs).length > 0 ? `; controller log: ${errorLines(logs).join(' | ')}` : '') +
        ' — their status still records the intent hash, so events for them are no-ops all the same',
    );
  }
  const template = generated.find((gp) => gp.status?.intentHash === intentHash(gp));
  if (!template) throw new Error(`no generated GPTPolicy carries status.intentHash = the intent's hash (${describeReady(generated[0])}); nothing to measure`);
  const templatePolicy = template.status?.policyName ? local.get<JsPolicy>(JSP_API_VERSION, 'JsPolicy', template.status.policyName) : undefined;
  section.notes.push(
    `ours: ${real} GPTPolicies generated through the fake model for real (${describeReady(template)}), the others created as copies of ${template.metadata.name}'s reconciled state` +
      (templatePolicy ? ' (status and owned JsPolicy)' : ' (status; it owns no JsPolicy)'),
  );
  // The emulated webhooks list (and copy) every JsPolicy on every write, which makes bulk setup
  // O(N²). The bulk copies and the label edits of cold passes do without them; no write happens
  // during the measured events (that is asserted), so the measurement is unaffected.
  local.cluster.setAdmission({});
  let count = real;
  const grow = (n: number): void => {
    // The controllers see the copies in the first measured pass (their resync), not one by one now.
    for (const loop of local.loops) loop.stop();
    for (; count < n; count++) cloneReconciled(local, template, templatePolicy, nameOf(count));
    const stale = local.cluster.list(GP_API_VERSION, 'GPTPolicy').filter((gp) => (gp as GPTPolicy).status?.intentHash !== intentHash(gp as GPTPolicy));
    if (stale.length > 0) problems.push(`${stale.length} GPTPolicies do not carry their intent hash at N=${n}`);
  };
  return {
    local,
    grow,
    modelCalls: async () => (await model.requests()).length,
    problems,
    withJsPolicies: true,
    sample: template,
    close: ours.close,
  };
}

/** A GPTPolicy in the state the controller leaves it, without a model call: the template's status, renamed. */
function cloneReconciled(local: LocalJsPolicy, template: GPTPolicy, templatePolicy: JsPolicy | undefined, name: string): void {
  const created = local.cluster.create({ ...gptPolicy(name, template.spec.description), spec: structuredClone(template.spec) } as KubeObject);
  if (!created.ok) throw new Error(`creating GPTPolicy ${name}: ${created.message}`);
  const fromName = template.status?.policyName ?? generatedPolicyName(template.metadata.name ?? '');
  const toName = generatedPolicyName(name);
  const status = JSON.parse(JSON.stringify(template.status).split(fromName).join(toName)) as GPTPolicy['status'];
  const written = local.cluster.updateStatus({ ...created.object, status } as KubeObject);
  if (!written.ok) throw new Error(`writing the status of GPTPolicy ${name}: ${written.message}`);
  if (!templatePolicy) return;
  const { metadata } = templatePolicy;
  const policy: JsPolicy = {
    apiVersion: templatePolicy.apiVersion,
    kind: templatePolicy.kind,
    metadata: {
      name: toName,
      labels: { ...metadata.labels, [OWNER_LABEL]: name },
      annotations: { ...metadata.annotations },
      ownerReferences: (metadata.ownerReferences ?? []).map((ref) => ({ ...ref, name, uid: created.object.metadata.uid ?? '' })),
    },
    spec: structuredClone(templatePolicy.spec),
  };
  const made = local.cluster.create(policy);
  if (!made.ok) throw new Error(`creating JsPolicy ${toName}: ${made.message}`);
}

function prototypeInstallation(): Installation {
  const { local } = startPrototype();
  local.cluster.setAdmission({}); // as for ours: bulk writes without the emulated webhooks
  let count = 0;
  const problems: string[] = [];
  const grow = (n: number): void => {
    local.loop.stop();
    for (; count < n; count++) local.apply(gptPolicy(nameOf(count), INCIDENT_INTENT, { [PROTOTYPE_LASTAPPLIED_ANNOT]: INCIDENT_INTENT }));
  };
  return {
    local,
    grow,
    modelCalls: async () => null,
    problems,
    withJsPolicies: false,
    get sample() {
      return local.get(GP_API_VERSION, 'GPTPolicy', nameOf(0));
    },
    close: async () => {},
  };
}

/** A figure whose ratio has a goal: the note says whether this run met it. */
function goalFigure(name: string, ours: number | null, reference: number | null, goal: number, extra: { note?: string } = {}): Figure {
  const ratio = ours !== null && reference !== null && reference > 0 ? ours / reference : null;
  const verdict = ratio === null ? 'not measured' : ratio <= goal ? 'met' : `missed by ${((ratio / goal - 1) * 100).toFixed(0)}%`;
  return figure(name, 'ms', ours, reference, { note: [`goal ≤ ${goal}×: ${verdict}`, extra.note].filter(Boolean).join('; ') });
}

async function measure(inst: Installation, n: number, options: ResyncOptions, passBase: number): Promise<Measured> {
  const passes = Math.max(1, Math.ceil(options.minSamples / n));
  const callsBefore = await inst.modelCalls();
  inst.local.writes.reset();
  let t = now();
  const cold = coldPasses(inst.local, passes, inst.withJsPolicies, passBase);
  trace(`  cold passes (${passes})`, t);
  t = now();
  const warm = warmEvents(inst.local, options.minSamples);
  trace(`  same-source events (${warm.gp.length})`, t);
  const callsAfter = await inst.modelCalls();
  const some = inst.local.cluster.list(GP_API_VERSION, 'GPTPolicy')[0]?.metadata.name ?? '';
  const policyReread = timeEach(50, () => inst.local.loop.policy());
  const clusterGet = timeEach(50, () => inst.local.cluster.get(GP_API_VERSION, 'GPTPolicy', undefined, some));
  return {
    cold,
    warm,
    policyReread,
    clusterGet,
    modelCalls: callsBefore === null || callsAfter === null ? null : callsAfter - callsBefore,
    writes: inst.local.writes.total(),
  };
}

export async function benchResync(section: Section, options: ResyncOptions): Promise<ResyncSamples> {
  const samples: ResyncSamples = {};
  let ours: Installation | undefined;
  let proto: Installation | undefined;
  try {
    try {
      ours = await oursInstallation(options, section);
      samples.ours = ours.local.get(GP_API_VERSION, 'GPTPolicy', ours.sample?.metadata.name ?? '');
    } catch (error) {
      section.failures.push(`our controller could not be set up: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      proto = prototypeInstallation();
    } catch (error) {
      section.failures.push(`the prototype could not be set up: ${error instanceof Error ? error.message : String(error)}`);
    }
    const medians: { ours: number[]; proto: number[] } = { ours: [], proto: [] };
    const inEngine: { ours: number[]; proto: number[] } = { ours: [], proto: [] };
    const net: { ours: number[]; proto: number[] } = { ours: [], proto: [] };
    let passBase = 0;
    for (const n of options.sizes) {
      let o: Measured | undefined;
      let r: Measured | undefined;
      try {
        let t = now();
        ours?.grow(n);
        trace(`ours grow to ${n}`, t);
        t = now();
        if (ours) o = await measure(ours, n, options, passBase);
        trace(`ours measure ${n}`, t);
      } catch (error) {
        section.failures.push(`N=${n} ours: ${error instanceof Error ? error.message : String(error)}`);
      }
      try {
        let t = now();
        proto?.grow(n);
        trace(`prototype grow to ${n}`, t);
        t = now();
        if (proto) r = await measure(proto, n, options, passBase);
        trace(`prototype measure ${n}`, t);
      } catch (error) {
        section.failures.push(`N=${n} prototype: ${error instanceof Error ? error.message : String(error)}`);
      }
      passBase += 1000;
      const runFailure = (m: Measured | undefined): string | undefined =>
        m && (m.cold.runErrors.length > 0 || m.warm.runErrors.length > 0) ? `runs did not end in allow: ${[...m.cold.runErrors, ...m.warm.runErrors].slice(0, 2).join(' | ')}` : undefined;
      const failure = [runFailure(o) && `ours ${runFailure(o)}`, runFailure(r) && `prototype ${runFailure(r)}`].filter(Boolean).join('; ') || undefined;
      const samplesNote = `${o?.cold.gp.length ?? 0} / ${r?.cold.gp.length ?? 0} events`;
      if (o && o.cold.gpEngine.length > 0) inEngine.ours.push(median(o.cold.gpEngine));
      if (r && r.cold.gpEngine.length > 0) inEngine.proto.push(median(r.cold.gpEngine));
      if (o) medians.ours.push(median(o.cold.gp));
      if (r) medians.proto.push(median(r.cold.gp));
      if (o) net.ours.push(median(o.cold.gp) - median(o.policyReread) - median(o.clusterGet));
      if (r) net.proto.push(median(r.cold.gp) - median(r.policyReread) - median(r.clusterGet));
      const engineOf = (m: Measured | undefined, jsp = false): number | null => {
        const xs = m ? (jsp ? m.cold.jspEngine : m.cold.gpEngine) : [];
        return xs.length > 0 ? median(xs) : null;
      };
      section.figures.push(
        goalFigure(`N=${n}: no-op GPTPolicy event inside the V8 9.6 engine (context + script), median`, engineOf(o), engineOf(r), 1.5),
        goalFigure(`N=${n}: JsPolicy event that needs nothing, inside the engine, vs the prototype's no-op GPTPolicy event`, engineOf(o, true), engineOf(r), 1.2, {
          note: 'ours, compiled; one that is not ours ends earlier (at its owner label), and so does a violations log of a policy that is not ours (at its name)',
        }),
        figure(`N=${n}: engine process overhead per event (IPC, natives), median`, 'ms', o && o.cold.gpEngine.length > 0 ? median(o.cold.gp) - median(o.cold.gpEngine) : null, r && r.cold.gpEngine.length > 0 ? median(r.cold.gp) - median(r.cold.gpEngine) : null, {
          note: "the local runtime's, not jsPolicy's: reported apart from the engine's time",
        }),
        figure(`N=${n}: ms per event, median`, 'ms', o ? median(o.cold.gp) : null, r ? median(r.cold.gp) : null, { note: samplesNote, ...(failure ? { failure } : {}) }),
        figure(`N=${n}: ms per event, p95`, 'ms', o ? p95(o.cold.gp) : null, r ? p95(r.cold.gp) : null),
        figure(`N=${n}: ms per event, median, same text again (V8 code cache)`, 'ms', o ? median(o.warm.gp) : null, r ? median(r.warm.gp) : null),
        figure(`N=${n}: emulator overhead in each event: policy re-read + cluster.get, median`, 'ms', o ? median(o.policyReread) + median(o.clusterGet) : null, r ? median(r.policyReread) + median(r.clusterGet) : null, {
          note: 'not jsPolicy\'s cost: the emulator copies the policy object (with its javascript) on every event and its API server re-sorts every object per call',
        }),
        figure(`N=${n}: ms per event, median, minus that overhead`, 'ms', o ? median(o.cold.gp) - median(o.policyReread) - median(o.clusterGet) : null, r ? median(r.cold.gp) - median(r.policyReread) - median(r.clusterGet) : null),
        figure(`N=${n}: whole resync, all events' ms per GPTPolicy`, 'ms', o ? median(o.cold.perGpPass) : null, r ? median(r.cold.perGpPass) : null, {
          note: o ? `ours also runs ${Math.round(o.cold.jsp.length / Math.max(1, o.cold.perGpPass.length))} JsPolicy events per resync` : undefined,
        }),
        figure(`N=${n}: JsPolicy event (ours only), ms median`, 'ms', o && o.cold.jsp.length > 0 ? median(o.cold.jsp) : null, null, {
          note: 'the prototype does not watch JsPolicies',
        }),
        o
          ? figure(`N=${n}: model calls per event`, 'calls', o.modelCalls === null ? null : o.modelCalls / events(o), null, {
              expected: 0,
              note: 'prototype: AIURL elided in the post; its no-op path calls nothing',
            })
          : failedFigure(`N=${n}: model calls per event`, 'calls', 'our controller was not measured'),
        figure(`N=${n}: API writes per event`, 'writes', o ? o.writes / events(o) : null, r ? r.writes / events(r) : null, {
          expected: 0,
          ...(r && r.writes !== 0 ? { failure: `prototype made ${r.writes} writes` } : {}),
        }),
      );
    }
    const first = 0;
    const last = options.sizes.length - 1;
    if (last > first && medians.ours.length === options.sizes.length && medians.proto.length === options.sizes.length) {
      const growth = (xs: number[]): number => (xs[last] as number) / (xs[first] as number);
      const engineGrowth = inEngine.ours.length === options.sizes.length && inEngine.proto.length === options.sizes.length ? [growth(inEngine.ours), growth(inEngine.proto)] : [null, null];
      const [oursGrowth, protoGrowth] = engineGrowth as [number | null, number | null];
      const met = oursGrowth !== null && protoGrowth !== null && oursGrowth <= protoGrowth;
      section.figures.push(
        figure(`inside the engine: median at N=${options.sizes[last]} ÷ median at N=${options.sizes[first]}`, '×', oursGrowth, protoGrowth, {
          note: `goal: no worse than the prototype's own growth — ${oursGrowth === null ? 'not measured' : met ? 'met' : 'missed'}`,
        }),
        figure(`median at N=${options.sizes[last]} ÷ median at N=${options.sizes[first]} (flat = 1)`, '×', growth(medians.ours), growth(medians.proto)),
        figure(`the same, minus the emulator overhead`, '×', growth(net.ours), growth(net.proto), { note: 'what remains of the growth is mostly GC pressure from N compiled script texts' }),
      );
    }
    for (const inst of [ours, proto]) for (const problem of inst?.problems ?? []) section.failures.push(problem);
    if (proto?.sample) samples.prototype = proto.local.get(GP_API_VERSION, 'GPTPolicy', proto.sample.metadata.name ?? '');
    section.notes.push(
      'event = ControllerLoop.process(key): the object re-read, the controller request built (operation CREATE, the stored object), runPolicyScript in a fresh vm context; the emulator re-reads the policy object per event, which costs more for a larger script',
      'a resync: the controller paused, a label edited on every watched object (outside the timing, so no run reuses V8\'s compiled script for its text), then requeueAll and every queued event timed; "same text again": unchanged GPTPolicies re-enqueued right after their previous run',
      'bulk copies and label edits bypass the emulated admission webhooks (which copy every JsPolicy on each write); no write happens in the measured events',
    );
    return samples;
  } finally {
    await ours?.close();
    await proto?.close();
  }
}
