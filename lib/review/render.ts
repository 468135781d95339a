// What a reviewer must judge before approving a generated policy, in the order they judge it: the
// intent, the plan, the code without our guard, what the guard rails add, what it would do to the
// cluster and what it did while Dry or Warn, what changed since the last approved version, and the
// exact hash and command to approve it. Pure: it reads the objects as `kubectl get -o yaml` prints
// them (tools/cli/review.ts reads them from a file, tools/cli/kubectl-plugin.ts from the cluster).
import { specHashOf } from '../controller/apply.ts';
import { MUTABLE_FIELDS_ANNOTATION, READABLE_KINDS_ANNOTATION } from '../gptpolicy/api.ts';
import { intentKindOf, keyOf, namespaceBound } from '../gptpolicy/kinds.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { JsPolicy, LabelSelector } from '../k8s/types.ts';
import { PROTECTED_API_GROUPS, PROTECTED_RESOURCES } from '../lint/safety.ts';
import { NAMESPACE_NAME_LABEL } from '../policy/guardrails.ts';
import { unwrapGuard } from '../policy/guard.ts';
import type { Stage } from '../rollout/types.ts';
import type { ViolationSummary } from '../rollout/violations.ts';
import { sha256Hex } from '../util/sha256.ts';
import { unifiedDiff } from './code-diff.ts';

export interface ReviewInput {
  gptPolicy: GPTPolicy;
  /** Its JsPolicy, with spec.javascript read back from the JsPolicyBundle when it is precompiled. */
  policy?: JsPolicy;
  /** How the approve commands are written: the gptpolicy CLI piped to kubectl (default), or the kubectl plugin. */
  approveWith?: 'gptpolicy' | 'kubectl-plugin';
}

const list = (xs: unknown): string => (Array.isArray(xs) && xs.length > 0 ? xs.map(String).join(', ') : '—');
const indent = (text: string): string => text.split('\n').map((line) => `    ${line}`).join('\n');
const short = (hash: string): string => hash.slice(0, 12);

/** Words joined into lines of about 100 characters, the later ones indented. */
function wrap(words: readonly string[]): string {
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.length - 1;
    if (last >= 0 && (lines[last] as string).length + word.length < 100) lines[last] += ` ${word}`;
    else lines.push(last < 0 ? word : `  ${word}`);
  }
  return lines.join('\n');
}

/** What each stage does with a request the policy denies. */
const STAGE_MEANING: Record<Stage, string> = {
  Dry: 'jsPolicy logs what it would deny and blocks nothing',
  Warn: 'a denied request passes, with a warning to the client',
  Deny: 'a denied request is rejected',
};
const RANK: Record<Stage, number> = { Dry: 0, Warn: 1, Deny: 2 };

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

/** The code the model is answerable for: the candidate inside our guard, or the whole script if there is no guard. */
function candidateOf(policy: JsPolicy | undefined): string | undefined {
  const javascript = policy?.spec.javascript;
  return javascript ? (unwrapGuard(javascript) ?? javascript) : undefined;
}

function code(policy: JsPolicy | undefined, gp: GPTPolicy): string {
  const javascript = policy?.spec.javascript;
  if (!policy) return `no JsPolicy given: add \`kubectl get jspolicy,jspolicybundle ${gp.status?.policyName ?? 'NAME.gptpolicy.dev'} -o yaml\` to the input`;
  if (!javascript) return 'the JsPolicy has no code here: add its JsPolicyBundle to the input';
  const candidate = unwrapGuard(javascript);
  if (candidate === undefined) return `not a guarded policy — the whole script runs as is:\n${indent(javascript)}`;
  const used = gp.status?.skills?.used ?? [];
  const helpers = used.length > 0 ? `library helpers it calls (their code is inlined above, and covered by the hash): ${used.join(', ')}` : 'it calls no library helper';
  return `${indent(candidate.trim())}\n${helpers}`;
}

/**
 * What binds a NamespacedGPTPolicy's policy to its namespace, as read from the JsPolicy itself: the
 * reviewer approves what is applied, so a policy that is not bound (scope, selector) is said to be.
 */
function namespaceBoundLine(policy: JsPolicy, namespace: string): string {
  const { scope, namespaceSelector } = policy.spec;
  const only = namespaceSelector?.matchExpressions?.find((e) => e.key === NAMESPACE_NAME_LABEL && e.operator === 'In')?.values;
  const bound = scope === 'Namespaced' && only?.length === 1 && only[0] === namespace && Object.keys(namespaceSelector?.matchLabels ?? {}).length === 0;
  return bound
    ? `namespace bound: ${namespace} alone, by code — a NamespacedGPTPolicy's policy sees only namespaced requests in its own namespace (scope Namespaced, the selector above), and get/list read only ${namespace}, whatever the description or the model says`
    : `NOT BOUND to namespace ${namespace}: this JsPolicy has scope ${scope ?? '*'} and namespaces ${namespacesOf(namespaceSelector)}, which no NamespacedGPTPolicy's policy may have — do not approve it; ask a cluster admin who changed it`;
}

function guardRails(policy: JsPolicy | undefined, gp: GPTPolicy): string {
  if (!policy) return '—';
  const namespace = namespaceBound(gp);
  const spec = policy.spec;
  const annotations = policy.metadata.annotations ?? {};
  const mutable = annotations[MUTABLE_FIELDS_ANNOTATION];
  const readable = annotations[READABLE_KINDS_ANNOTATION];
  const failurePolicy = spec.failurePolicy ?? 'Fail';
  const stage = spec.violationPolicy ?? 'Deny';
  return [
    `matches: ${spec.type ?? 'Validating'} of ${list(spec.operations)} on ${list(spec.resources)} (API groups ${list((spec.apiGroups ?? []).map((g) => (g === '' ? '"" (core)' : g)))})`,
    `namespaces: ${namespacesOf(spec.namespaceSelector)}`,
    ...(namespace !== undefined ? [namespaceBoundLine(policy, namespace)] : []),
    wrap(`excluded kinds, never matched nor read whatever the code says: ${PROTECTED_RESOURCES.join(', ')}; every resource of ${PROTECTED_API_GROUPS.join(', ')}`.split(' ')),
    failurePolicy === 'Ignore'
      ? `fails open: failurePolicy Ignore — jsPolicy down or slower than timeoutSeconds ${spec.timeoutSeconds ?? 10} lets the request through; so does an error the code throws (logged as a violation while Dry or Warn)`
      : `fails CLOSED: failurePolicy ${failurePolicy} — jsPolicy down or slower than timeoutSeconds ${spec.timeoutSeconds ?? 10} rejects the request`,
    `stage: ${stage} (${STAGE_MEANING[stage as Stage] ?? 'unknown'})`,
    `the guard: no writes, HTTP, env, files or Secrets; get/list read only the namespaces above${readable ? ` and ${readable.split(',').join(', ')}` : ''}`,
    ...(spec.type === 'Mutating' ? [`a patch may change only: ${mutable ? mutable.split(',').join(', ') : 'nothing (the description names no field)'}`] : []),
  ].join('\n');
}

function impact(gp: GPTPolicy): string {
  const i = gp.status?.impact as
    | { specHash?: string; evaluated?: number; affected?: number; errors?: number; beyondIntent?: number; complete?: boolean; note?: string; pending?: boolean; examples?: Array<{ object: string; result: string }> }
    | undefined;
  if (!i) return 'no preview yet';
  if (i.pending) return 'the preview is still running';
  const earlier = i.specHash && i.specHash !== gp.status?.rollout?.specHash ? [`(a preview of an earlier policy, hash ${short(i.specHash)}: this one's is not written yet)`] : [];
  const head = `${i.evaluated ?? 0} existing objects evaluated: ${i.affected ?? 0} affected, ${i.errors ?? 0} errors${i.beyondIntent ? `, ${i.beyondIntent} patches beyond the description (dropped)` : ''}${i.complete === false ? ' (incomplete)' : ''}`;
  const examples = (i.examples ?? []).map((e) => `- ${e.object}: ${e.result}`);
  return [...earlier, head, ...(i.note ? [`note: ${i.note}`] : []), ...examples].join('\n');
}

function violations(gp: GPTPolicy): string {
  const v = gp.status?.violations as Partial<ViolationSummary> | undefined;
  if (!v || Object.keys(v).length === 0) return 'none logged since it was applied';
  const since = gp.status?.rollout?.since;
  const earlier = since && v.since && v.since !== since ? [`(logged for an earlier policy, applied ${v.since}: none read for this one yet)`] : [];
  const recent = v.recent ?? [];
  return [
    ...earlier,
    `${v.observed ?? 0} logged since ${v.since ?? '?'}, ${v.codeErrors ?? 0} of them code errors${recent.length > 0 ? '; the newest:' : ''}`,
    ...recent.map((r) => `- ${r}`),
    ...(v.lastCodeError ? [`last code error: ${v.lastCodeError}`] : []),
  ].join('\n');
}

/** The diff to the last approved version, when one was approved and this one differs from it. */
function changes(gp: GPTPolicy, policy: JsPolicy | undefined): string | undefined {
  const approved = gp.status?.approved;
  const hash = gp.status?.rollout?.specHash;
  if (!approved || !hash || approved.specHash === hash) return undefined;
  const head = `last approved: hash ${approved.specHash}, at ${approved.stage} by ${approved.approvedBy ?? 'an unrecorded user'} (${intentKindOf(gp.kind).approvalKind} ${approved.approval})`;
  const candidate = candidateOf(policy);
  if (candidate === undefined) return `${head}\nthe diff needs this version's code: add its JsPolicy and JsPolicyBundle to the input`;
  if (sha256Hex(approved.code) !== approved.codeSha256) return `${head}\nits code was cut to keep the status small, so there is no diff: read the code above in full`;
  const diff = unifiedDiff(approved.code, candidate, `approved ${short(approved.specHash)}`, `this version ${short(hash)}`);
  return `${head}\n${diff ?? 'the same code: what changed is around it (what it matches, the guard rails above)'}`;
}

function approve(gp: GPTPolicy, policy: JsPolicy | undefined, via: ReviewInput['approveWith']): string {
  const namespace = namespaceBound(gp);
  // The approval goes to the intent's own namespace: the only one where it counts.
  const name = `${gp.metadata.name ?? 'NAME'}${namespace !== undefined ? ` -n ${namespace}` : ''}`;
  const rollout = gp.status?.rollout;
  const hash = rollout?.specHash;
  if (!hash) return 'nothing to approve: no policy is applied for this intent';
  // The hash printed must be the hash of the code printed: the objects are read one after another.
  const shown = policy?.spec.javascript ? specHashOf(policy) : undefined;
  if (shown !== undefined && shown !== hash) {
    return `the JsPolicy above has hash ${shown}, not the GPTPolicy's ${hash}: they were read at different moments (a regeneration in between?), so this review approves nothing; read them again`;
  }
  const stage = rollout.stage ?? 'Dry';
  const by = rollout.approval ? ` (${intentKindOf(gp.kind).approvalKind} ${rollout.approval}${rollout.approvedBy ? ` by ${rollout.approvedBy}` : ''})` : '';
  // A Mutating policy has no Warn stage: Warn already applies its patches.
  const next = (['Warn', 'Deny'] as const).filter((s) => RANK[s] > RANK[stage] && !(s === 'Warn' && policy?.spec.type === 'Mutating'));
  const command = (s: 'Warn' | 'Deny'): string =>
    via === 'kubectl-plugin' ? `kubectl gptpolicy approve ${name} --hash ${hash} --stage ${s}` : `gptpolicy approve ${name} --hash ${hash} --stage ${s} | kubectl create -f -`;
  return [
    `stage now: ${stage}${by}; spec hash ${hash}`,
    'the hash covers the code, its helpers and the guard rails above: an approval enforces exactly this version, and a regenerated one runs Dry again',
    ...(next.length === 0 ? ['enforced at Deny: nothing more to approve'] : next.map((s) => `to ${s} (${STAGE_MEANING[s]}):\n  ${command(s)}`)),
  ].join('\n');
}

export function renderReview(input: ReviewInput): string {
  const { gptPolicy: gp, policy } = input;
  const ready = gp.status?.conditions?.find((c) => c.type === 'Ready');
  const changed = changes(gp, policy);
  return [
    `# ${intentKindOf(gp.kind).kind} ${keyOf(gp)}${ready ? ` — Ready ${ready.status} ${ready.reason ?? ''}` : ''}\n`,
    section('Intent', gp.spec.description ?? ''),
    section('Plan', plan(gp)),
    section('Code (without the guard)', code(policy, gp)),
    section('What the guard rails add', guardRails(policy, gp)),
    section('Impact preview (existing objects, before anything enforces)', impact(gp)),
    section('Violations since it was applied', violations(gp)),
    ...(changed ? [section('Changes since the last approved version', changed)] : []),
    section('Approve', approve(gp, policy, input.approveWith)),
  ].join('\n');
}
