import type { AdmissionRequest, JsPolicy, KubeObject } from '../k8s/types.ts';
import { unwrapGuard } from '../policy/guard.ts';
import { matchesWebhook, type NamespaceLabels } from '../policy/webhook-match.ts';
import { compileCandidate } from '../sandbox/index.ts';
import type { ServedResource } from '../k8s/builtin-resources.ts';

/** What the policy would do to the objects that already exist, as if each were created now. */
export interface ImpactReport {
  specHash: string;
  evaluated: number;
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
}

const EXAMPLES = 5;

/**
 * Runs the candidate's own code (not our guard) in the sandbox over existing objects. Objects the
 * webhook would never see (rules, selectors) are skipped, as the API server would skip them.
 */
export function preview(input: PreviewInput): ImpactReport {
  const { policy } = input;
  const type = policy.spec.type === 'Mutating' ? 'Mutating' : 'Validating';
  const code = unwrapGuard(policy.spec.javascript ?? '') ?? policy.spec.javascript ?? '';
  const compiled = compileCandidate({ javascript: code, policyType: type });
  const report: ImpactReport = { specHash: input.specHash, evaluated: 0, affected: 0, errors: 0, examples: [], complete: input.truncated === undefined };
  if (input.truncated) report.note = input.truncated;
  for (const { resource, object } of input.objects) {
    if (input.outOfTime()) {
      report.complete = false;
      report.note = `stopped after ${report.evaluated} objects: the run's time budget ran out`;
      break;
    }
    const request = asCreate(resource, object);
    if (!matchesWebhook(policy, request, input.namespaceLabels)) continue;
    report.evaluated++;
    const result = compiled.run(request);
    const name = [object.metadata.namespace, object.metadata.name].filter(Boolean).join('/');
    if (result.verdict === 'error') report.errors++;
    if (result.verdict === 'deny' || result.verdict === 'mutate') report.affected++;
    if (result.verdict !== 'allow' && report.examples.length < EXAMPLES) {
      const what = result.verdict === 'deny' ? `denied: ${result.message ?? ''}` : result.verdict === 'mutate' ? 'would be mutated' : `error (let through): ${result.message ?? ''}`;
      report.examples.push({ object: `${resource.kind} ${name}`, result: what.slice(0, 200) });
    }
  }
  return report;
}

function asCreate(resource: ServedResource, object: KubeObject): AdmissionRequest {
  return {
    uid: 'impact-preview',
    kind: { group: resource.group, version: resource.version, kind: resource.kind },
    resource: { group: resource.group, version: resource.version, resource: resource.resource },
    ...(object.metadata.name ? { name: object.metadata.name } : {}),
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    operation: 'CREATE',
    userInfo: { username: 'gptpolicy:impact-preview' },
    object,
    oldObject: null,
    options: null,
  };
}
