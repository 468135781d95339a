// Section 3 — what a generated policy costs at admission against a hand-written one doing the same:
// jsPolicy's example deny-service-type-nodeport, and the JsPolicy our controller writes from a fake
// model answer with the same rule and code (so whatever the controller wraps around it is measured).
// Both go through admit() (webhook match, run, response mapping, audit log) over the same requests.
import type { GPTPolicy } from '../lib/gptpolicy/types.ts';
import type { AdmissionRequest, JsPolicy } from '../lib/k8s/types.ts';
import { ALWAYS_PROTECTED_NAMESPACES } from '../lib/policy/guardrails.ts';
import { wrapWithGuard, type GuardOptions } from '../lib/policy/guard.ts';
import type { Cluster } from '../tools/runtime/contracts.ts';
import { readYamlObjects } from '../tools/local/local-jspolicy.ts';
import { repoFile } from '../tools/local/paths.ts';
import { admit } from '../tools/runtime/webhook/admit.ts';
import { mean, median, now, p95 } from './measure.ts';
import { figure, failedFigure, type Figure, type Section } from './report.ts';
import { answered, GP_API_VERSION, gptPolicy, namespace, NODEPORT_INTENT, nodePortAnswer, serviceObject } from './scenarios.ts';
import { describeReady, errorLines, startOurs } from './setup.ts';

export interface AdmissionOptions {
  /** Requests per policy (half allowed, half denied). */
  runs: number;
}

export const HANDWRITTEN_FIXTURE = 'bench/fixtures/deny-service-type-nodeport.yaml';
const NS = 'team-a';

export function serviceRequest(i: number, type: 'NodePort' | 'ClusterIP'): AdmissionRequest {
  const name = `svc-${i}`;
  return {
    uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    kind: { group: '', version: 'v1', kind: 'Service' },
    resource: { group: '', version: 'v1', resource: 'services' },
    name,
    namespace: NS,
    operation: 'CREATE',
    userInfo: { username: 'alice', groups: ['system:authenticated'] },
    object: serviceObject(name, NS, type),
    oldObject: null,
    dryRun: false,
    options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
  };
}

export async function benchAdmission(section: Section, options: AdmissionOptions): Promise<void> {
  const handwritten = readYamlObjects(repoFile(HANDWRITTEN_FIXTURE)).find((o) => o.kind === 'JsPolicy') as JsPolicy | undefined;
  if (!handwritten?.spec.javascript) throw new Error(`${HANDWRITTEN_FIXTURE} has no JsPolicy with spec.javascript`);

  // The generated policy: the example's rule and code, as a model would answer the same intent.
  const ours = await startOurs([answered(nodePortAnswer(handwritten.spec.javascript))], { objects: [namespace(NS)] });
  try {
    const { local, logs } = ours;
    local.apply(gptPolicy('deny-nodeport', NODEPORT_INTENT));
    local.settle();
    const gp = local.get<GPTPolicy>(GP_API_VERSION, 'GPTPolicy', 'deny-nodeport');
    // With its code from its JsPolicyBundle (generated policies are precompiled).
    const generated = gp?.status?.policyName ? local.appliedPolicy(gp.status.policyName) : undefined;
    const problem = generated ? undefined : `the controller applied no policy (${describeReady(gp)})${errorLines(logs).length > 0 ? `; controller log: ${errorLines(logs).join(' | ')}` : ''}`;
    if (problem) section.failures.push(`generated policy: ${problem}; only the hand-written one was measured`);
    if (generated) {
      section.notes.push(
        `generated ${generated.metadata.name}: javascript (in its JsPolicyBundle) ${Buffer.byteLength(generated.spec.javascript ?? '')} B vs ${Buffer.byteLength(handwritten.spec.javascript)} B hand-written; violationPolicy ${generated.spec.violationPolicy ?? 'Deny'}, failurePolicy ${generated.spec.failurePolicy}, timeoutSeconds ${generated.spec.timeoutSeconds}, namespaceSelector ${JSON.stringify(generated.spec.namespaceSelector)}`,
      );
    }

    // The same requests through both policies, interleaved; a new uid each (as the API server sends them).
    const policies: Array<[ 'ours' | 'reference', JsPolicy]> = generated ? [['ours', generated], ['reference', handwritten]] : [['reference', handwritten]];
    let times = { ours: { allow: [] as number[], deny: [] as number[] }, reference: { allow: [] as number[], deny: [] as number[] } };
    // Measured inside the V8 9.6 engine (context + script): what jsPolicy pays per admission.
    const inside = { ours: [] as number[], reference: [] as number[] };
    let engineV8 = '';
    const wrong: Record<'ours' | 'reference', string[]> = { ours: [], reference: [] };
    const clock = () => local.loop.clock();
    const runOne = (who: 'ours' | 'reference', policy: JsPolicy, i: number): void => {
      const type = i % 2 === 0 ? 'ClusterIP' : 'NodePort';
      const expect = type === 'ClusterIP' ? 'allow' : 'deny';
      const request = serviceRequest(i, type);
      const start = now();
      let engine: number | undefined;
      const outcome = admit(policy, request, {
        cluster: local.cluster,
        now: clock,
        onRun: (run) => {
          if ('engineMs' in run && run.engineMs) {
            engine = run.engineMs.context + run.engineMs.script;
            engineV8 = run.v8;
          }
        },
      });
      const elapsed = now() - start;
      times[who][expect].push(elapsed);
      if (engine !== undefined && i < 1_000_000) inside[who].push(engine);
      // The policy's own verdict: a generated policy may still be in a Dry/Warn rollout stage, where
      // jsPolicy lets the request through but records the denial.
      const got = !outcome.matched ? 'not matched' : outcome.error ? `error: ${outcome.error.split('\n')[0]}` : outcome.violation?.kind === 'deny' ? 'deny' : outcome.allowed ? 'allow' : 'deny';
      if (got !== expect && wrong[who].length < 2) wrong[who].push(`${type} Service: expected ${expect}, got ${got}`);
    };
    for (const [who, policy] of policies) for (let i = 0; i < 6; i++) runOne(who, policy, 1_000_000 + i); // warm-up
    for (let i = 0; i < options.runs; i++) {
      const order = i % 2 === 0 ? policies : [...policies].reverse();
      for (const [who, policy] of order) runOne(who, policy, i);
    }
    // The same again with auditPolicy Skip: a denial's audit-log write is the in-memory API server's
    // work, the same for both, and dwarfs the script.
    const full = times;
    times = { ours: { allow: [], deny: [] }, reference: { allow: [], deny: [] } };
    const skipping = policies.map(([who, policy]) => [who, { ...policy, spec: { ...policy.spec, auditPolicy: 'Skip' } }] as [typeof who, JsPolicy]);
    for (let i = 0; i < options.runs; i++) {
      const order = i % 2 === 0 ? skipping : [...skipping].reverse();
      for (const [who, policy] of order) runOne(who, policy, 2_000_000 + i);
    }
    const skipped = times;
    times = full;

    type Times = typeof times;
    const row = (name: string, pick: (t: Times['ours']) => number, extra = {}, from: Times = times) =>
      generated ? figure(name, 'ms', pick(from.ours), pick(from.reference), extra) : failedFigure(name, 'ms', 'no generated policy', { reference: pick(from.reference) });
    const wrongText = [...wrong.ours.map((w) => `ours: ${w}`), ...wrong.reference.map((w) => `hand-written: ${w}`)].join('; ');
    if (inside.reference.length > 0) {
      section.figures.push(
        generated
          ? figure(`inside the engine (V8 ${engineV8}): context + script per admission, median`, 'ms', median(inside.ours), median(inside.reference), {
              note: "jsPolicy's own cost per admission, the guard included; the rows below add the local emulator's webhook, engine process and audit-log work",
            })
          : failedFigure('inside the engine: context + script per admission, median', 'ms', 'no generated policy', { reference: median(inside.reference) }),
      );
    }
    section.figures.push(
      row('allowed request (ClusterIP), ms median', (t) => median(t.allow), { note: `${times.reference.allow.length} requests each`, ...(wrongText ? { failure: wrongText } : {}) }),
      row('allowed request, ms p95', (t) => p95(t.allow)),
      row('denied request (NodePort), ms median', (t) => median(t.deny), { note: 'includes the audit-log write both policies make' }),
      row('denied request, ms p95', (t) => p95(t.deny)),
      row('all requests, ms mean', (t) => mean([...t.allow, ...t.deny])),
      row('auditPolicy Skip: allowed request, ms median', (t) => median(t.allow), {}, skipped),
      row('auditPolicy Skip: denied request, ms median', (t) => median(t.deny), { note: 'no audit-log write: the script path alone' }, skipped),
    );
    section.notes.push(`requests: Service CREATE in namespace ${NS}, alternately ClusterIP (allowed) and NodePort (denied), each with a new uid; admit() = webhook match + runPolicyScript + response mapping + audit log`);
    section.figures.push(...guardCost(handwritten, options.runs, local.cluster, clock));
  } finally {
    await ours.close();
  }
}

/**
 * The guard alone (lib/policy/guard.ts): the same candidate bare and in the guard, admitted on V8 9.6,
 * measured inside the engine (context + script). "ours" is the guarded run, "reference" the bare one.
 * The guard ends every run with a halt; the bare candidate gets a final allow() too, because a halt
 * costs the local runtime a signal (≈1.5 ms) where jsPolicy's TerminateExecution costs next to
 * nothing. The Mutating pair adds the guard's check of the patch against the fields the intent names.
 */
function guardCost(handwritten: JsPolicy, runs: number, cluster: Cluster, clock: () => number): Figure[] {
  const scope = { protectedNamespaces: [...ALWAYS_PROTECTED_NAMESPACES], clusterKinds: [] };
  const labelIt = `var o = request.object; o.metadata.labels = o.metadata.labels || {}; o.metadata.labels.team = 'a'; mutate(o);`;
  const pairs: Array<[string, JsPolicy, GuardOptions]> = [
    ['Validating (deny-service-type-nodeport)', { ...handwritten, spec: { ...handwritten.spec, javascript: `${handwritten.spec.javascript}\nallow();` } }, { reportErrors: false, scope }],
    ['Mutating (adds a label)', { ...handwritten, spec: { ...handwritten.spec, type: 'Mutating', javascript: labelIt } }, { reportErrors: false, scope, mutable: ['metadata.labels'] }],
  ];
  return pairs.map(([what, bare, options]) => {
    const guarded = { ...bare, spec: { ...bare.spec, javascript: wrapWithGuard(bare.spec.javascript ?? '', options) } };
    const inside: Record<'bare' | 'guarded', number[]> = { bare: [], guarded: [] };
    const one = (who: 'bare' | 'guarded', i: number) =>
      admit(who === 'bare' ? bare : guarded, serviceRequest(3_000_000 + i, i % 2 === 0 ? 'ClusterIP' : 'NodePort'), {
        cluster,
        now: clock,
        onRun: (run) => {
          if ('engineMs' in run && run.engineMs && i >= 0) inside[who].push(run.engineMs.context + run.engineMs.script);
        },
      });
    for (let i = -6; i < 0; i++) for (const who of ['bare', 'guarded'] as const) one(who, i); // warm-up (and webpack)
    for (let i = 0; i < runs; i++) for (const who of i % 2 === 0 ? (['bare', 'guarded'] as const) : (['guarded', 'bare'] as const)) one(who, i);
    return figure(`guard: ${what}, guarded vs bare candidate, inside the engine, ms per admission (median)`, 'ms', median(inside.guarded), median(inside.bare), {
      note: `${Buffer.byteLength(guarded.spec.javascript)} B guarded vs ${Buffer.byteLength(bare.spec.javascript ?? '')} B bare; the difference is the guard's cost (freezing, confinement, response view${options.mutable ? ', the patch check' : ''})`,
    });
  });
}
