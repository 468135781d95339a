import { MUTABLE_FIELDS_ANNOTATION } from '../gptpolicy/api.ts';
import { mutationViolations } from '../policy/mutation-bounds.ts';
import { creatorOf, uuid4 } from './plausible-request.ts';
import type { AdmissionRequest, JsPolicy, KubeObject, ObjectMeta } from '../k8s/types.ts';
import { unwrapGuard } from '../policy/guard.ts';
import { matchesWebhook, type NamespaceLabels } from '../policy/webhook-match.ts';
import { compileCandidate } from '../sandbox/index.ts';
import type { ServedResource } from '../k8s/builtin-resources.ts';
import { redactMessage } from '../util/redact.ts';

/** What the policy would do to the objects that already exist, as if each were created now. */
export interface ImpactReport {
  specHash: string;
  evaluated: number;
  /** Patches the guard would drop in the cluster: they change fields the description does not name. */
  beyondIntent?: number;
  /** Denied (Validating) or patched (Mutating). */
  affected: number;
  errors: number;
  examples: Array<{ object: string; result: string }>;
  complete: boolean;
  note?: string;
}

export interface PreviewInput {
  policy: JsPolicy;
  specHash: string;
  /** The existing objects the policy's rules could match, with the resource each was listed as. */
  objects: Array<{ resource: ServedResource; object: KubeObject }>;
  namespaceLabels: NamespaceLabels;
  /** Set when listing stopped early (object or time budget). */
  truncated?: string;
  /** Stops evaluating when it answers true (the run's time budget). */
  outOfTime: () => boolean;
  /** The platform's clock: each object's run is bounded by OBJECT_MAX_MS of it. */
  clock: () => number;
}

/** One object's wall-clock budget; 100 000 ordinary steps take a few milliseconds. */
export const OBJECT_MAX_MS = 100;

const EXAMPLES = 5;

/**
 * Runs the candidate's own code (not our guard) in the sandbox over existing objects. Objects the
 * webhook would never see (rules, selectors) are skipped, as the API server would skip them.
 */
export function preview(input: PreviewInput): ImpactReport {
  const { policy } = input;
  const type = policy.spec.type === 'Mutating' ? 'Mutating' : 'Validating';
  const code = unwrapGuard(policy.spec.javascript ?? '') ?? policy.spec.javascript ?? '';
  const mutableFields = (policy.metadata.annotations?.[MUTABLE_FIELDS_ANNOTATION] ?? '').split(',').filter((p) => p !== '');
  const compiled = compileCandidate({ javascript: code, policyType: type, clock: input.clock, timeBudgetMs: OBJECT_MAX_MS });
  const report: ImpactReport = { specHash: input.specHash, evaluated: 0, affected: 0, errors: 0, examples: [], complete: input.truncated === undefined };
  if (input.truncated) report.note = input.truncated;
  let overBudget = 0;
  for (const { resource, object } of input.objects) {
    if (input.outOfTime()) {
      report.complete = false;
      report.note = `stopped after ${report.evaluated} objects: the run's time budget ran out`;
      break;
    }
    const request = asCreate(resource, object, type, input.clock());
    if (!matchesWebhook(policy, request, input.namespaceLabels)) continue;
    report.evaluated++;
    const result = compiled.run(request);
    if (result.budgetExceeded) overBudget++;
    const name = [object.metadata.namespace, object.metadata.name].filter(Boolean).join('/');
    if (result.verdict === 'error') report.errors++;
    if (result.verdict === 'deny' || result.verdict === 'mutate') report.affected++;
    // The rule the guard applies on every admission: a patch beyond the description's fields is dropped.
    const outside = result.verdict === 'mutate' ? mutationViolations(request.object, result.patched, mutableFields) : [];
    if (outside.length > 0) report.beyondIntent = (report.beyondIntent ?? 0) + 1;
    if (result.verdict !== 'allow' && report.examples.length < EXAMPLES) {
      // Redacted before the final cut, so no cut leaves a few characters of a value behind.
      const message = redactMessage((result.message ?? '').slice(0, 1000), object);
      const mutated = outside.length > 0 ? `would change ${outside.slice(0, 3).join(', ')}, beyond the description: let through without the patch` : 'would be mutated';
      const what = result.verdict === 'deny' ? `denied: ${message}` : result.verdict === 'mutate' ? mutated : `error (let through): ${message}`;
      report.examples.push({ object: `${resource.kind} ${name}`, result: what.slice(0, 200) });
    }
  }
  if (overBudget > 0) {
    // Said in the status: the model hears of it only through a person (the policy is applied already).
    const budget = `${overBudget} object${overBudget === 1 ? '' : 's'} stopped at the per-object budget (${OBJECT_MAX_MS} ms or the step budget), counted as errors`;
    report.note = report.note ? `${report.note}; ${budget}` : budget;
  }
  return report;
}

/**
 * The object as the API server would send it to the webhook if it were created now. Nothing in it
 * says "preview": a policy that behaved differently when previewed would show a harmless preview
 * and then enforce something else. So: a random version-4 uid; requestKind/requestResource; the
 * options and dryRun of a real create; and the user of an ordinary create — the controller's service
 * account when a built-in controller owns the object (the pods of a ReplicaSet are created by
 * replicaset-controller), else the namespace's default service account (a deploy pipeline), or, for
 * a cluster-scoped object, kubeadm's admin. The object's metadata is that of a create at `nowMs`:
 * no resourceVersion, no status (the API server resets it); a mutating webhook runs before the
 * API server sets uid, creationTimestamp and generation, a validating one after (generation 1).
 */
export function asCreate(resource: ServedResource, object: KubeObject, type: 'Validating' | 'Mutating', nowMs: number, random: () => number = Math.random): AdmissionRequest {
  const gvk = { group: resource.group, version: resource.version, kind: resource.kind };
  const gvr = { group: resource.group, version: resource.version, resource: resource.resource };
  const now = `${new Date(nowMs).toISOString().slice(0, 19)}Z`;
  const { resourceVersion: _version, uid, creationTimestamp: _created, generation, managedFields, ...kept } = object.metadata as ObjectMeta & { managedFields?: unknown[] };
  const metadata = {
    ...kept,
    ...(type === 'Validating' ? { uid: uid ?? uuid4(random), creationTimestamp: now, ...(generation !== undefined ? { generation: 1 } : {}) } : {}),
    ...(managedFields ? { managedFields: managedFields.map((f) => (f && typeof f === 'object' && 'time' in f ? { ...f, time: now } : f)) } : {}),
  };
  const { status: _status, ...rest } = object;
  return {
    uid: uuid4(random),
    kind: gvk,
    resource: gvr,
    requestKind: gvk,
    requestResource: gvr,
    ...(object.metadata.name ? { name: object.metadata.name } : {}),
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    operation: 'CREATE',
    userInfo: creatorOf(object, random),
    object: { ...rest, metadata },
    oldObject: null,
    dryRun: false,
    options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
  };
}

