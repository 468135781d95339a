// gptpolicy goal "GOAL": a PolicyGoal's whole curriculum, run by the built controller bundle in the
// local jsPolicy runtime against an in-memory cluster until it settles: every proposal call and
// every child's generation, as jsPolicy would run them.
import { stringify } from 'yaml';
import { tokenBudget as budgetOf } from '../../lib/goal/step.ts';
import { GOAL_KIND, type PolicyGoal } from '../../lib/goal/types.ts';
import { API_VERSION, GPTPOLICY_KIND, JSPOLICY_API_VERSION } from '../../lib/gptpolicy/api.ts';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { KubeObject } from '../../lib/k8s/types.ts';
import { parseCommand } from './args.ts';
import { startLocalController } from './local-controller.ts';
import type { CommandIo } from './io.ts';

const USAGE = `usage: gptpolicy goal "GOAL" [--name NAME] [--model MODEL] [--max-policies N] [--budget TOKENS] [--cluster FILE]... [--skills DIR|FILE]

Runs the built controller (npm run build) in the local jsPolicy runtime with one PolicyGoal and
lets its curriculum run to its end: one proposal call per step, each child a GPTPolicy through the
whole pipeline. Prints, as YAML, the PolicyGoal with its status, then each child GPTPolicy with its
JsPolicy and JsPolicyBundle; stderr shows the progress. Exit 0 when the goal was judged met, 1
otherwise, with the reason. The endpoint and --cluster/--skills are as for generate.`;

/** Each child takes a handful of runs (generation, preview, its goal's record and next step). */
const MAX_RUNS = 2000;

export async function goalCommand(argv: string[], io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseCommand(
    argv,
    { name: { type: 'string', default: 'goal' }, model: { type: 'string' }, 'max-policies': { type: 'string' }, budget: { type: 'string' }, cluster: { type: 'string', multiple: true }, skills: { type: 'string' } },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const text = positionals.join(' ').trim();
  if (text === '') {
    io.stderr(`a GOAL is required\n${USAGE}\n`);
    return 2;
  }
  const bound = (flag: 'max-policies' | 'budget'): number | undefined | string => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    return /^[1-9]\d{0,7}$/.test(raw) ? Number(raw) : `--${flag} takes a positive whole number, got ${JSON.stringify(raw)}`;
  };
  const maxPolicies = bound('max-policies');
  const tokenBudget = bound('budget');
  for (const value of [maxPolicies, tokenBudget]) {
    if (typeof value === 'string') {
      io.stderr(`${value}\n${USAGE}\n`);
      return 2;
    }
  }
  const local = await startLocalController(values, io, env);

  const name = values.name ?? 'goal';
  const spec: PolicyGoal['spec'] = { goal: text, ...(values.model ? { model: values.model } : {}), ...(maxPolicies !== undefined ? { maxPolicies: maxPolicies as number } : {}), ...(tokenBudget !== undefined ? { tokenBudget: tokenBudget as number } : {}) };
  local.apply({ apiVersion: API_VERSION, kind: GOAL_KIND, metadata: { name }, spec } as PolicyGoal);
  const stats = local.settle({ maxRuns: MAX_RUNS });
  const goal = local.get<PolicyGoal>(API_VERSION, GOAL_KIND, name);
  const status = goal?.status ?? {};
  for (const error of stats.errors) io.stderr(`controller run failed: ${error}\n`);
  io.stderr(`controller runs: ${stats.runs}, API writes: ${local.writes.total()}${stats.settled ? '' : ' (did not settle)'}\n`);
  io.stderr(`scope: ${(status.scope ?? []).join(', ') || 'every unprotected namespace'}\n`);

  const documents: KubeObject[] = goal ? [goal] : [];
  for (const child of status.children ?? []) {
    const gp = local.get<GPTPolicy>(API_VERSION, GPTPOLICY_KIND, child.name);
    const policyName = gp?.status?.policyName;
    const stage = gp?.status?.rollout?.stage;
    const how = child.state === 'Ready' ? `Ready, policy ${policyName ?? '?'} at stage ${stage ?? '?'}` : `${child.state}${child.reason ? ` (${child.reason}: ${child.message ?? ''})` : ''}`;
    io.stderr(`child ${child.name}: ${how}${child.retries > 0 ? `, retried ${child.retries}` : ''}\n  intent: ${child.intent}${child.dropped ? `\n  namespaces left out by code: ${child.dropped.join(', ')}` : ''}\n`);
    if (gp) documents.push(gp);
    if (policyName) {
      const policy = local.get<KubeObject>(JSPOLICY_API_VERSION, 'JsPolicy', policyName);
      const bundle = local.get<KubeObject>(JSPOLICY_API_VERSION, 'JsPolicyBundle', policyName);
      if (policy) documents.push(policy);
      if (bundle) documents.push(bundle);
    }
  }
  for (const failure of status.failures ?? []) if (!failure.child) io.stderr(`proposal refused or unreadable (step ${failure.step}): ${failure.message}\n`);
  const usage = status.usage;
  io.stderr(`model calls: ${usage?.modelCalls ?? 0} (${status.steps ?? 0} proposals), tokens: ${usage?.totalTokens ?? 0} of ${goal ? budgetOf(goal) : 0} budget; ${status.summary ?? '0/0 Ready'}\n`);
  io.stdout(documents.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  const met = status.conditions?.find((c) => c.type === 'Met');
  io.stderr(`goal: ${met ? `${met.status === 'True' ? 'met' : 'not met'} — ${met.reason}: ${met.message}` : 'no status written'}\n`);
  return met?.status === 'True' ? 0 : 1;
}
