// One run of one task: the whole loop in the local jsPolicy runtime (the built controller bundle,
// the model endpoint, the controller's checks and feedback rounds), then the held-back cases
// against what it emitted.
import { API_VERSION, GPTPOLICY_KIND } from '../../lib/gptpolicy/api.ts';
import type { AttemptSummary, GPTPolicy, GPTPolicyStatus } from '../../lib/gptpolicy/types.ts';
import type { KubeObject } from '../../lib/k8s/types.ts';
import { LocalJsPolicy } from '../local/local-jspolicy.ts';
import { policyForEvaluation, runHeldBack } from './evaluate.ts';
import type { BenchTask } from './tasks.ts';

export interface Endpoint {
  apiKey?: string;
  /** The jsPolicy container's environment: OPENAI_BASE_URL, OPENAI_MODEL, GPTPOLICY_*. */
  env: Record<string, string>;
  /** Off the loopback (a real endpoint); a scripted model on 127.0.0.1 needs none. */
  allowNetwork: boolean;
  /** spec.model of the GPTPolicy, when given. */
  model?: string;
}

export interface RunResult {
  pass: boolean;
  /** Why it failed: no policy (the Ready reason and message) or the held-back cases that failed. */
  reason?: string;
  /** Model calls for the intent (status.usage.modelCalls). */
  attempts: number;
  tokens: number;
  /** One key per attempt that needed a repair (lint rule, own-tests-failed, malformed-answer, …). */
  repairs: string[];
  /** Skills the controller retrieved, in rank order, when the status lists them. */
  retrieved?: string[];
  cases: { passed: number; total: number; failed: { name: string; failures: string[] }[] };
  /** Ready condition's reason. */
  readyReason?: string;
  ms: number;
}

/** What needed a repair in one attempt: the first error's lint rule, or the kind of failure. */
export function repairKey(attempt: AttemptSummary): string | undefined {
  switch (attempt.outcome) {
    case 'applied':
      return undefined;
    case 'findings': {
      // judgementSummary: "N lint errors, M failing test cases; <rule>: <message>"
      const match = /;\s*([a-z0-9-]+):/.exec(attempt.summary);
      return match?.[1] ?? 'lint-error';
    }
    case 'tests-failed':
      return 'own-tests-failed';
    case 'malformed':
      return 'malformed-answer';
    case 'refused':
      return 'policy-refused';
    case 'rejected':
      return 'api-server-rejected';
    case 'compile-failed':
      return 'jspolicy-compile-failed';
    default:
      return attempt.outcome;
  }
}

/**
 * The skills the controller retrieved for the intent, in rank order, if the status says (the skill
 * library's retrieval, issue 5, may not exist yet: then undefined and recall is "n/a"). Accepts the
 * shapes such a status would plausibly take: status.skills.retrieved, status.retrieval.skills,
 * status.retrievedSkills — each a list of names or of {name}.
 */
export function retrievedSkills(status: GPTPolicyStatus | undefined): string[] | undefined {
  const s = status as Record<string, unknown> | undefined;
  if (!s) return undefined;
  const pick = (v: unknown): string[] | undefined => {
    if (!Array.isArray(v)) return undefined;
    return v.map((x) => (typeof x === 'string' ? x : x && typeof x === 'object' ? String((x as { name?: unknown }).name ?? '') : '')).filter((x) => x !== '');
  };
  const nested = (key: string, inner: string): unknown => (s[key] && typeof s[key] === 'object' ? (s[key] as Record<string, unknown>)[inner] : undefined);
  return pick(nested('skills', 'retrieved')) ?? pick(nested('retrieval', 'skills')) ?? pick(s.retrievedSkills);
}

/** One run; `skills` are the PolicySkills installed beside the controller (the library retrieval draws from). */
export function runTask(task: BenchTask, endpoint: Endpoint, skills: readonly KubeObject[] = []): RunResult {
  const started = Date.now();
  const local = new LocalJsPolicy({ apiKey: endpoint.apiKey, env: endpoint.env, allowNetwork: endpoint.allowNetwork, objects: task.cluster, skills: [...skills] });
  const gp: GPTPolicy = { apiVersion: API_VERSION, kind: GPTPOLICY_KIND, metadata: { name: task.id }, spec: { description: task.intent, ...(endpoint.model ? { model: endpoint.model } : {}) } };
  local.apply(gp);
  const stats = local.settle();
  const status = local.get<GPTPolicy>(API_VERSION, GPTPOLICY_KIND, task.id)?.status;
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  const repairs = (status?.attempts ?? []).map(repairKey).filter((k): k is string => k !== undefined);
  const base = {
    attempts: status?.usage?.modelCalls ?? 0,
    tokens: status?.usage?.totalTokens ?? 0,
    repairs,
    ...(retrievedSkills(status) ? { retrieved: retrievedSkills(status) } : {}),
    ...(ready?.reason ? { readyReason: ready.reason } : {}),
  };
  // Its code read back from its JsPolicyBundle: what jsPolicy runs is what is judged.
  const policy = status?.policyName ? local.appliedPolicy(status.policyName) : undefined;
  if (!policy) {
    const why = ready ? `${ready.reason}: ${ready.message}` : 'the controller wrote no status';
    const errors = stats.errors.length > 0 ? `; controller errors: ${stats.errors.join('; ')}` : '';
    return { pass: false, reason: `no policy: ${why}${errors}`, ...base, cases: { passed: 0, total: task.cases.length, failed: [] }, ms: Date.now() - started };
  }
  const results = runHeldBack(policyForEvaluation(policy), task.cases, task.cluster);
  const failed = results.filter((r) => !r.passed).map((r) => ({ name: r.name, failures: r.failures }));
  const pass = failed.length === 0;
  return {
    pass,
    ...(pass ? {} : { reason: `${failed.length} of ${results.length} held-back cases failed: ${failed[0]?.name}: ${failed[0]?.failures[0] ?? ''}` }),
    ...base,
    cases: { passed: results.length - failed.length, total: results.length, failed },
    ms: Date.now() - started,
  };
}
