// Goal tasks: one PolicyGoal per task, its whole curriculum run by the built controller in the local
// jsPolicy runtime (the model endpoint, or a scripted curriculum), then judged with held-back cases.
//
// bench-goals/<id>/goal.yaml:
//   goal: Pods ... meet the controls the restricted profile adds ...   # the PolicyGoal's spec.goal
//   maxPolicies: 10                # spec.maxPolicies, spec.tokenBudget (optional)
//   tokenBudget: 60000
//   tasks: [pss-restricted-capabilities, ...]   # bench tasks (--tasks DIR) whose held-back cases
//                                               # judge the goal, and whose intents and reference
//                                               # answers make the scripted curriculum
//
// Judged as enforced: each child's policy as it would run once approved at Deny (evaluate.ts), and
// a case's verdict is the union's — denied when any child denies it, else allowed when any child
// saw it, else unmatched — so a goal is covered by what its children do together.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { tokenBudget as budgetOf } from '../../lib/goal/step.ts';
import { GOAL_KIND, type PolicyGoal } from '../../lib/goal/types.ts';
import { API_VERSION } from '../../lib/gptpolicy/api.ts';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import type { Proposal } from '../../lib/goal/proposal.ts';
import { startFakeModel, type ScriptedReply } from '../fake-model/index.ts';
import { LocalJsPolicy } from '../local/local-jspolicy.ts';
import { runPolicyTestCases } from '../runtime/policytest/run.ts';
import type { CaseVerdict } from '../runtime/policytest/format.ts';
import { policyForEvaluation } from './evaluate.ts';
import type { Endpoint } from './run-task.ts';
import { scriptFor, type ScriptMode } from './scripted.ts';
import type { BenchCase, BenchTask } from './tasks.ts';

export interface GoalTask {
  id: string;
  goal: string;
  maxPolicies?: number;
  tokenBudget?: number;
  /** The bench tasks it is judged by, in the order the scripted curriculum proposes them. */
  tasks: BenchTask[];
}

export interface GoalResult {
  id: string;
  /** The Met condition: GoalMet, or why the curriculum stopped short. */
  met: boolean;
  reason: string;
  /** Held-back cases whose union verdict is an accepted one. */
  cases: { passed: number; total: number; failed: string[] };
  children: { created: number; ready: number };
  /** What went wrong along the way (status.failures): refused or unreadable proposals, failed children. */
  failures: string[];
  modelCalls: number;
  proposals: number;
  tokens: number;
  budget: number;
  ms: number;
}

/** Loads every goal task under `dir`, its tasks taken from the loaded task set. */
export function loadGoalTasks(dir: string, tasks: readonly BenchTask[]): GoalTask[] {
  if (!existsSync(dir)) throw new Error(`${dir}: no such directory (--goals DIR names the goal tasks, e.g. bench-goals/)`);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'goal.yaml')))
    .map((e) => e.name)
    .sort()
    .map((id) => {
      const doc = parse(readFileSync(join(dir, id, 'goal.yaml'), 'utf8')) as Record<string, unknown> | null;
      const fail = (message: string): never => {
        throw new Error(`${id}: goal.yaml: ${message}`);
      };
      if (!doc || typeof doc !== 'object') return fail('must be a mapping with goal and tasks');
      const known = new Set(['goal', 'maxPolicies', 'tokenBudget', 'tasks']);
      for (const key of Object.keys(doc)) if (!known.has(key)) fail(`unknown field ${key}; a goal task takes ${[...known].join(', ')}`);
      if (typeof doc.goal !== 'string' || doc.goal.trim().length < 10) fail('goal must be the goal in plain language');
      for (const key of ['maxPolicies', 'tokenBudget'] as const) if (doc[key] !== undefined && !Number.isInteger(doc[key])) fail(`${key} must be a whole number`);
      if (!Array.isArray(doc.tasks) || doc.tasks.length === 0) fail('tasks must list the bench tasks that judge it');
      const listed = (doc.tasks as unknown[]).map((t) => byId.get(String(t)) ?? fail(`task ${String(t)} is not in the task set (--tasks DIR)`));
      return { id, goal: String(doc.goal).trim(), ...(doc.maxPolicies !== undefined ? { maxPolicies: doc.maxPolicies as number } : {}), ...(doc.tokenBudget !== undefined ? { tokenBudget: doc.tokenBudget as number } : {}), tasks: listed };
    });
}

/** Every held-back case of the goal's tasks, named by their task. */
function heldBack(goal: GoalTask): { cases: BenchCase[]; cluster: KubeObject[] } {
  return {
    cases: goal.tasks.flatMap((t) => t.cases.map((c) => ({ ...c, name: `${t.id}: ${c.name}` }))),
    cluster: goal.tasks.flatMap((t) => t.cluster),
  };
}

/** Each case's verdict under all the policies together, and whether it is an accepted one. */
export function judgeUnion(policies: readonly JsPolicy[], cases: readonly BenchCase[], cluster: readonly KubeObject[], nowMs = Date.parse('2024-01-01T00:00:00Z')): Array<{ name: string; verdict: CaseVerdict; passed: boolean }> {
  const perPolicy = policies.map((p) => runPolicyTestCases(p, [...cases], [...cluster], { nowMs }));
  return cases.map((c, i) => {
    const verdicts = perPolicy.map((results) => results[i]?.actual?.result ?? 'error');
    const verdict: CaseVerdict = verdicts.includes('deny') ? 'deny' : verdicts.includes('error') ? 'error' : verdicts.includes('allow') ? 'allow' : 'unmatched';
    return { name: c.name, verdict, passed: c.accept.includes(verdict) };
  });
}

const proposal = (arguments_: Proposal): ScriptedReply => ({ toolCall: { name: 'propose_next', arguments: arguments_ } });

/**
 * The scripted curriculum: for each task in order, a proposal of its intent, then its child's
 * answers (the task's scripted answers in `mode`, as many as the child calls for); then "met".
 */
export function goalScript(goal: GoalTask, mode: ScriptMode): ScriptedReply[] {
  const calls = mode === 'right' ? 1 : mode === 'wrong-then-right' ? 2 : 3;
  return [
    ...goal.tasks.flatMap((t) => {
      const answers = scriptFor(t, mode);
      return [proposal({ verdict: 'next', reason: `the ${t.id} control`, intent: t.intent, namespaces: [], retry: '' }), ...Array.from({ length: calls }, (_, i) => answers[Math.min(i, answers.length - 1)] as ScriptedReply)];
    }),
    proposal({ verdict: 'met', reason: 'every control of the goal has a Ready child', intent: '', namespaces: [], retry: '' }),
  ];
}

/** One goal's curriculum to its end, then the held-back cases against the union of its children's policies. */
export function runGoal(goal: GoalTask, endpoint: Endpoint, skills: readonly KubeObject[] = []): GoalResult {
  const started = Date.now();
  const { cases, cluster } = heldBack(goal);
  const local = new LocalJsPolicy({ apiKey: endpoint.apiKey, env: endpoint.env, allowNetwork: endpoint.allowNetwork, objects: cluster, skills: [...skills] });
  local.settle();
  const spec: PolicyGoal['spec'] = { goal: goal.goal, ...(goal.maxPolicies ? { maxPolicies: goal.maxPolicies } : {}), ...(goal.tokenBudget ? { tokenBudget: goal.tokenBudget } : {}), ...(endpoint.model ? { model: endpoint.model } : {}) };
  const applied = local.apply({ apiVersion: API_VERSION, kind: GOAL_KIND, metadata: { name: goal.id }, spec } as PolicyGoal) as PolicyGoal;
  local.settle({ maxRuns: 5000 });
  const status = local.get<PolicyGoal>(API_VERSION, GOAL_KIND, goal.id)?.status ?? {};
  const children = status.children ?? [];
  const policies = children.flatMap((c) => {
    const policy = c.state === 'Ready' && c.policyName ? local.appliedPolicy(c.policyName) : undefined;
    return policy ? [policyForEvaluation(policy)] : [];
  });
  const judged = policies.length > 0 ? judgeUnion(policies, cases, cluster) : cases.map((c) => ({ name: c.name, verdict: 'unmatched' as const, passed: c.accept.includes('unmatched') }));
  const met = status.conditions?.find((c) => c.type === 'Met');
  return {
    id: goal.id,
    met: met?.status === 'True',
    reason: met ? `${met.reason}: ${met.message}` : 'no status written',
    cases: { passed: judged.filter((j) => j.passed).length, total: judged.length, failed: judged.filter((j) => !j.passed).map((j) => `${j.name} (${j.verdict})`) },
    children: { created: children.length, ready: children.filter((c) => c.state === 'Ready').length },
    failures: (status.failures ?? []).map((f) => `${f.child ?? `proposal ${f.step}`}: ${f.reason}: ${f.message}`),
    modelCalls: status.usage?.modelCalls ?? 0,
    proposals: status.steps ?? 0,
    tokens: status.usage?.totalTokens ?? 0,
    budget: budgetOf(applied),
    ms: Date.now() - started,
  };
}

/** The same with the scripted curriculum on a fake model. */
export async function runScriptedGoal(goal: GoalTask, mode: ScriptMode, skills: readonly KubeObject[] = []): Promise<GoalResult> {
  const model = await startFakeModel(goalScript(goal, mode));
  try {
    return runGoal(goal, { apiKey: 'scripted', env: { OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: `scripted-${mode}` }, allowNetwork: false }, skills);
  } finally {
    await model.close();
  }
}

/** The goal table: coverage, policies per goal, calls and tokens. */
export function renderGoals(results: readonly GoalResult[]): string {
  const rows = results.map((r) => [r.id, `${r.cases.passed}/${r.cases.total} (${((100 * r.cases.passed) / Math.max(1, r.cases.total)).toFixed(1)}%)`, `${r.children.ready}/${r.children.created}`, String(r.modelCalls), `${r.tokens} / ${r.budget}`, r.met ? 'met' : r.reason.slice(0, 80)]);
  const header = ['goal', 'coverage', 'ready/children', 'model calls', 'tokens / budget', 'end'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const failed = results.flatMap((r) => r.cases.failed.slice(0, 5).map((f) => `  ✗ ${r.id}: ${f}`));
  return [line(header), ...rows.map(line), ...failed].join('\n') + '\n';
}
