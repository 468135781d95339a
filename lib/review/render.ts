// What a reviewer must judge before approving a generated policy, in the order they judge it: the
// intent, the plan, the code without our guard, what the guard rails add, what it would do to the
// cluster and what it did while Dry, and the exact hash and command to approve it. Pure: it reads
// the objects as `kubectl get -o yaml` prints them (tools/cli/review.ts reads them from a file).
import { MUTABLE_FIELDS_ANNOTATION, READABLE_KINDS_ANNOTATION } from '../gptpolicy/api.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { JsPolicy, LabelSelector } from '../k8s/types.ts';
import { unwrapGuard } from '../policy/guard.ts';

export interface ReviewInput {
  gptPolicy: GPTPolicy;
  /** Its JsPolicy, with spec.javascript read back from the JsPolicyBundle when it is precompiled. */
  policy?: JsPolicy;
}

const list = (xs: unknown): string => (Array.isArray(xs) && xs.length > 0 ? xs.map(String).join(', ') : '—');
const indent = (text: string): string => text.split('\n').map((line) => `    ${line}`).join('\n');

function namespacesOf(selector: LabelSelector | undefined): string {
  const expressions = selector?.matchExpressions ?? [];
  const only = expressions.find((e) => e.operator === 'In')?.values;
  const never = expressions.find((e) => e.operator === 'NotIn')?.values;
  if (expressions.length === 0 && Object.keys(selector?.matchLabels ?? {}).length === 0) return 'every namespace';
  return [only ? `only ${list(only)}` : 'every namespace', never ? `never ${list(never)}` : ''].filter((s) => s !== '').join('; ');
}

function section(title: string, body: string): string {
  return `## ${title}\n${body.trimEnd()}\n`;
}

// The plan's fields in the order a reviewer reads them; any others after.
const PLAN_ORDER = ['summary', 'resources', 'operations', 'namespaces', 'denies', 'allows', 'mutates'];

function plan(gp: GPTPolicy): string {
  const p = gp.status?.plan;
  if (!p) return 'no plan recorded';
  const rank = (key: string): number => (PLAN_ORDER.indexOf(key) < 0 ? PLAN_ORDER.length : PLAN_ORDER.indexOf(key));
  return Object.entries(p)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value || '—' : JSON.stringify(value)}`)
    .join('\n');
}

function code(policy: JsPolicy | undefined, gp: GPTPolicy): string {
  const javascript = policy?.spec.javascript;
  if (!policy) return `no JsPolicy given: add \`kubectl get jspolicy,jspolicybundle ${gp.status?.policyName ?? 'NAME.gptpolicy.dev'} -o yaml\` to the input`;
  if (!javascript) return 'the JsPolicy has no code here: add its JsPolicyBundle to the input';
  const candidate = unwrapGuard(javascript);
  const used = gp.status?.skills?.used ?? [];
  const helpers = used.length > 0 ? `\nlibrary helpers it calls (inlined, part of the hash): ${used.join(', ')}` : '';
  return candidate === undefined ? `not a guarded policy — the whole script runs as is:\n${indent(javascript)}` : `${indent(candidate.trim())}${helpers}`;
}

function guardRails(policy: JsPolicy | undefined): string {
  if (!policy) return '—';
  const spec = policy.spec;
  const annotations = policy.metadata.annotations ?? {};
  const mutable = annotations[MUTABLE_FIELDS_ANNOTATION];
  const readable = annotations[READABLE_KINDS_ANNOTATION];
  return [
    `${spec.type ?? 'Validating'} of ${list(spec.operations)} on ${list(spec.resources)} (API groups ${list((spec.apiGroups ?? []).map((g) => (g === '' ? '"" (core)' : g)))})`,
    `namespaces: ${namespacesOf(spec.namespaceSelector)}`,
    `failurePolicy ${spec.failurePolicy ?? 'Fail'}, timeoutSeconds ${spec.timeoutSeconds ?? 10}, now at ${spec.violationPolicy ?? 'Deny'}`,
    `the guard: a thrown error lets the request through; no writes, HTTP, env, files or Secrets; reads only the namespaces above${readable ? ` and ${readable}` : ''}`,
    ...(spec.type === 'Mutating' ? [`a patch may change only: ${mutable ? mutable.split(',').join(', ') : 'nothing (the description names no field)'}`] : []),
  ].join('\n');
}

function impact(gp: GPTPolicy): string {
  const i = gp.status?.impact as
    | { evaluated?: number; affected?: number; errors?: number; beyondIntent?: number; complete?: boolean; note?: string; pending?: boolean; examples?: Array<{ object: string; result: string }> }
    | undefined;
  if (!i) return 'no preview yet';
  if (i.pending) return 'the preview is still running';
  const head = `${i.evaluated ?? 0} existing objects evaluated: ${i.affected ?? 0} affected, ${i.errors ?? 0} errors${i.beyondIntent ? `, ${i.beyondIntent} patches beyond the description (dropped)` : ''}${i.complete === false ? ' (incomplete)' : ''}`;
  const examples = (i.examples ?? []).map((e) => `- ${e.object}: ${e.result}`);
  return [head, ...(i.note ? [`note: ${i.note}`] : []), ...examples].join('\n');
}

function violations(gp: GPTPolicy): string {
  const v = gp.status?.violations;
  if (!v || Object.keys(v).length === 0) return 'none logged since it was applied';
  return Object.entries(v)
    .map(([key, value]) => `${key}: ${typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value)}`)
    .join('\n');
}

function approve(gp: GPTPolicy): string {
  const name = gp.metadata.name ?? 'NAME';
  const hash = gp.status?.rollout?.specHash;
  if (!hash) return 'nothing to approve: no policy is applied for this intent';
  return [
    `stage now: ${gp.status?.rollout?.stage ?? 'Dry'}; hash ${hash}`,
    `gptpolicy approve ${name} --hash ${hash} --stage Warn | kubectl create -f -`,
    `gptpolicy approve ${name} --hash ${hash} --stage Deny | kubectl create -f -`,
  ].join('\n');
}

export function renderReview(input: ReviewInput): string {
  const { gptPolicy: gp, policy } = input;
  const ready = gp.status?.conditions?.find((c) => c.type === 'Ready');
  return [
    `# GPTPolicy ${gp.metadata.name ?? ''}${ready ? ` — Ready ${ready.status} ${ready.reason ?? ''}` : ''}\n`,
    section('Intent', gp.spec.description ?? ''),
    section('Plan', plan(gp)),
    section('Code (without the guard)', code(policy, gp)),
    section('What the guard rails add', guardRails(policy)),
    section('Impact preview (existing objects, before anything enforces)', impact(gp)),
    section('Violations since it was applied', violations(gp)),
    section('Approve', approve(gp)),
  ].join('\n');
}
