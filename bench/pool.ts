// The cluster's webhooks while we generate: jsPolicy's VMs (VM_POOL_SIZE) serve every webhook and
// every controller run, and a generation run holds one for its whole model call. An unrelated
// hand-written policy (jsPolicy's deny-service-type-nodeport) admits a steady stream of requests,
// idle and while a GitOps sync generates; each admission runs for real on V8 9.6 and waits, on the
// virtual clock, for a free VM (tools/runtime/engine/pool-model.ts).
import type { JsPolicy } from '../lib/k8s/types.ts';
import { VmPoolModel } from '../tools/runtime/engine/pool-model.ts';
import { admit } from '../tools/runtime/webhook/index.ts';
import { readYamlObjects } from '../tools/local/local-jspolicy.ts';
import { runWithModelLatency, type ScheduledAdmission } from '../tools/local/model-latency.ts';
import { repoFile } from '../tools/local/paths.ts';
import { denyProdAnswer, INCIDENT_INTENT } from '../test/fixtures/answers.ts';
import { HANDWRITTEN_FIXTURE, serviceRequest } from './admission.ts';
import { median, percentile } from './measure.ts';
import { figure, type Section } from './report.ts';
import { answered, gptPolicy } from './scenarios.ts';
import { startOurs } from './setup.ts';

export interface PoolScenario {
  poolSize: number;
  /** GPTPolicies applied at once (0: idle). */
  syncing: number;
  latencyMs: number;
  requestsPerSecond: number;
  /** Virtual ms of admissions when idle (a sync runs them for as long as it generates). */
  idleWindowMs: number;
}

/** Each admission's latency in ms: waiting for a VM plus its run inside the engine. */
export async function admissionLatencies(scenario: PoolScenario): Promise<number[]> {
  const handwritten = readYamlObjects(repoFile(HANDWRITTEN_FIXTURE)).find((o) => o.kind === 'JsPolicy') as JsPolicy;
  const ours = await startOurs([answered(denyProdAnswer())], { repeatLast: true });
  const { local, model } = ours;
  try {
    for (let i = 0; i < scenario.syncing; i++) local.apply(gptPolicy(`synced-${i}`, INCIDENT_INTENT));
    const t0 = local.loop.clock();
    const window = scenario.syncing > 0 ? scenario.syncing * scenario.latencyMs : scenario.idleWindowMs;
    const every = 1000 / scenario.requestsPerSecond;
    const admissions: ScheduledAdmission[] = [];
    for (let i = 0; i * every < window; i++) {
      admissions.push({
        atMs: t0 + i * every,
        run: () => {
          let engineMs = 0;
          admit(handwritten, serviceRequest(5_000_000 + i, i % 2 === 0 ? 'ClusterIP' : 'NodePort'), {
            cluster: local.cluster,
            now: () => local.loop.clock(),
            onRun: (outcome) => {
              if ('engineMs' in outcome && outcome.engineMs) engineMs = outcome.engineMs.context + outcome.engineMs.script;
            },
          });
          return engineMs;
        },
      });
    }
    const latencies: number[] = [];
    await runWithModelLatency(local, {
      modelLatencyMs: scenario.latencyMs,
      modelRequests: async () => (await model.requests()).length,
      pool: new VmPoolModel(scenario.poolSize),
      admissions,
      onAdmission: (a) => latencies.push(a.latencyMs),
      maxRuns: 100_000,
    });
    return latencies;
  } finally {
    await ours.close();
  }
}

export async function benchPool(section: Section, options: { syncing: number; latencyMs: number; requestsPerSecond: number }): Promise<void> {
  const base = { latencyMs: options.latencyMs, requestsPerSecond: options.requestsPerSecond, idleWindowMs: 5000 };
  for (const poolSize of [4, 2, 1]) {
    const idle = await admissionLatencies({ ...base, poolSize, syncing: 0 });
    const busy = await admissionLatencies({ ...base, poolSize, syncing: options.syncing });
    const note = `${busy.length} / ${idle.length} admissions`;
    section.figures.push(
      figure(`VM_POOL_SIZE=${poolSize}: admission p50, during a sync vs idle`, 'ms', median(busy), median(idle), { note }),
      figure(`VM_POOL_SIZE=${poolSize}: admission p99, during a sync vs idle`, 'ms', percentile(busy, 0.99), percentile(idle, 0.99)),
    );
  }
  section.notes.push(
    `${options.requestsPerSecond} Service CREATEs per second through jsPolicy's deny-service-type-nodeport; the sync: ${options.syncing} GPTPolicies at once, each model call ${options.latencyMs / 1000} s of virtual time, holding the generation controller's VM for all of it`,
    'latency = waiting for a VM (virtual clock) + the run inside the V8 9.6 engine (measured); only the generation controller ever calls the model, so a sync holds one VM at a time',
  );
}
