// Head-of-line blocking: a person approves a policy while a GitOps sync applies N GPTPolicies at
// once, each costing one model call of `latencyMs` on the local runtime's virtual clock. With the
// bookkeeping controller (the manifest's two controller policies) the approval is handled by a
// worker of its own; the reference is one controller policy watching every kind (before the
// split), whose one worker takes the approval only after the model calls queued before it.
import type { GPTPolicy } from '../lib/gptpolicy/types.ts';
import type { JsPolicy } from '../lib/k8s/types.ts';
import { runWithModelLatency } from '../tools/local/model-latency.ts';
import { denyProdAnswer, INCIDENT_INTENT } from '../test/fixtures/answers.ts';
import { figure, type Section } from './report.ts';
import { answered, GP_API_VERSION, gptPolicy, JSP_API_VERSION } from './scenarios.ts';
import { startOurs } from './setup.ts';

export interface UnderLoad {
  /** Virtual ms from the sync until the approved policy runs at its new stage (null: never). */
  approvalMs: number | null;
  /** Virtual ms from the sync until the last of the N GPTPolicies is Ready (null: not all were). */
  lastReadyMs: number | null;
  ready: number;
  modelCalls: number;
}

/** The controller policy before the split: the generation controller watching every kind itself. */
const ONE_CONTROLLER = {
  resources: ['gptpolicies', 'jspolicies', 'policyapprovals', 'policyskills', 'jspolicyviolations'],
  apiGroups: ['gptpolicy.dev', 'policy.jspolicy.com'],
  apiVersions: ['v1alpha1', 'v1beta1'],
};

const isReady = (gp: GPTPolicy | undefined): boolean => gp?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

export async function approvalUnderLoad(n: number, options: { split: boolean; latencyMs: number }): Promise<UnderLoad> {
  const ours = await startOurs([answered(denyProdAnswer())], { repeatLast: true, ...(options.split ? {} : { bookkeeping: false, controllerSpec: ONE_CONTROLLER }) });
  const { local, model } = ours;
  try {
    // The policy a person approves was generated before the sync.
    local.apply(gptPolicy('approved', INCIDENT_INTENT));
    local.settle({ maxRuns: 1000 });
    const approved = local.get<GPTPolicy>(GP_API_VERSION, 'GPTPolicy', 'approved');
    const specHash = approved?.status?.rollout?.specHash;
    const policyName = approved?.status?.policyName;
    if (!specHash || !policyName) throw new Error('the GPTPolicy to approve did not get a policy');
    const names = Array.from({ length: n }, (_, i) => `synced-${String(i).padStart(3, '0')}`);
    for (const name of names) local.apply(gptPolicy(name, INCIDENT_INTENT));
    const approval = { apiVersion: GP_API_VERSION, kind: 'PolicyApproval', metadata: { name: 'approved.warn' }, spec: { gptPolicy: 'approved', stage: 'Warn', specHash } };
    const created = local.cluster.create(approval, { username: 'alice', groups: ['reviewers'] });
    if (!created.ok) throw new Error(`the approval was refused: ${created.message}`);
    const t0 = local.loop.clock();
    let approvalMs: number | null = null;
    let lastReadyMs: number | null = null;
    let readyCount = 0;
    let calls = 0;
    await runWithModelLatency(local, {
      modelLatencyMs: options.latencyMs,
      modelRequests: async () => (await model.requests()).length,
      maxRuns: 50 * n + 200,
      afterRun: (run) => {
        calls += run.modelCalls;
        if (approvalMs === null && local.get<JsPolicy>(JSP_API_VERSION, 'JsPolicy', policyName)?.spec.violationPolicy === 'Warn') approvalMs = run.endMs - t0;
        if (run.modelCalls > 0 || lastReadyMs === null) {
          readyCount = names.filter((name) => isReady(local.get<GPTPolicy>(GP_API_VERSION, 'GPTPolicy', name))).length;
          if (readyCount === n && lastReadyMs === null) lastReadyMs = run.endMs - t0;
        }
      },
    });
    return { approvalMs, lastReadyMs, ready: readyCount, modelCalls: calls };
  } finally {
    await ours.close();
  }
}

export async function benchContention(section: Section, options: { n: number; latencyMs: number }): Promise<void> {
  const split = await approvalUnderLoad(options.n, { split: true, latencyMs: options.latencyMs });
  const one = await approvalUnderLoad(options.n, { split: false, latencyMs: options.latencyMs });
  const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);
  const within = split.approvalMs !== null && split.approvalMs < options.latencyMs;
  section.figures.push(
    figure(`approval → new stage, while ${options.n} GPTPolicies generate`, 's', seconds(split.approvalMs), seconds(one.approvalMs), {
      referenceLabel: 'one controller policy for every kind',
      note: `goal: within one bookkeeping run, not after the queue — ${within ? 'met' : 'missed'}`,
    }),
    figure(`sync → last of the ${options.n} GPTPolicies Ready`, 's', seconds(split.lastReadyMs), seconds(one.lastReadyMs), {
      referenceLabel: 'one controller policy for every kind',
      note: `${split.ready}/${options.n} Ready; ${split.modelCalls} model calls (reference ${one.modelCalls})`,
    }),
  );
  if (split.lastReadyMs === null || one.lastReadyMs === null) section.failures.push(`not every GPTPolicy became Ready (${split.ready} / ${one.ready} of ${options.n})`);
  section.notes.push(
    `virtual time on the local runtime: each model call takes ${options.latencyMs / 1000} s of it and holds its controller's one worker; runs without a model call take none`,
  );
}
