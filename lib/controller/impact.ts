import { namespaceBound, pluralOf } from '../gptpolicy/kinds.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import { groupVersion, type ServedResource } from '../k8s/builtin-resources.ts';
import type { JsPolicy, KubeObject } from '../k8s/types.ts';
import { isProtectedResource } from '../lint/safety.ts';
import { describeThrown, type Platform } from '../platform/platform.ts';
import { matchesLabelSelector } from '../policy/label-selector.ts';
import { ruleMatchesResource } from '../policy/webhook-match.ts';
import type { PreviewInput } from '../toolkit/preview.ts';
import { readAppliedPolicy } from './apply.ts';
import { discovery } from './discovery.ts';
import { putStatus } from './status-writes.ts';

/** How much of the cluster one preview run may read and evaluate. */
export const PREVIEW_MAX_OBJECTS = 500;
export const PREVIEW_MAX_MS = 10_000;

type PendingImpact = { pending?: boolean; specHash?: string; startedAt?: string } | undefined;

/**
 * Whether the status asks for a preview of the policy it applied, or says one started and never
 * finished (a pure check, on the object).
 */
export function previewPending(gp: GPTPolicy): boolean {
  const impact = gp.status?.impact as PendingImpact;
  return impact?.pending === true && impact.specHash === gp.status?.rollout?.specHash;
}

/** The resources a policy's rules match, one (the first served) version per group and resource. */
export function matchedResources(policy: JsPolicy, served: readonly ServedResource[]): ServedResource[] {
  const spec = policy.spec;
  const anyOf = (list: string[] | undefined, value: string): boolean => !list || list.length === 0 || list.includes('*') || list.includes(value);
  const seen = new Set<string>();
  return served.filter((s) => {
    const key = `${s.group}/${s.resource}`;
    // Never read what no generated policy may match, whatever a policy says (Secrets above all).
    if (isProtectedResource(s.resource)) return false;
    // Objects are previewed as if created: a rule over subresources alone never sees them.
    const matched = (spec.resources ?? []).some((r) => ruleMatchesResource(r, s.resource, ''));
    if (seen.has(key) || !matched || !anyOf(spec.apiGroups, s.group) || !anyOf(spec.apiVersions, s.version)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Before anything is enforced: run the candidate over the objects that already exist, as if each
 * were created now, and write what it would deny (or mutate) to the status. Reads are uncached
 * (a cached list keeps an informer over every object of the kind in jsPolicy's memory), namespace
 * by namespace, within an object and a time budget; the status says when the preview stopped early.
 */
export function runPreview(platform: Platform, gp: GPTPolicy): void {
  const specHash = gp.status?.rollout?.specHash ?? '';
  const startedAt = (gp.status?.impact as PendingImpact)?.startedAt;
  if (startedAt) {
    // The run that started it ended where nothing could catch it: jsPolicy's timeout or memory, i.e.
    // one built-in call of the candidate that did not return. Said once, never retried for this spec.
    const note = `the preview started at ${startedAt} never finished: the run was most likely killed at the controller's timeoutSeconds or out of memory, inside one call the per-object budget cannot interrupt (a regular expression that backtracks, a huge allocation); it is not retried for this spec`;
    putStatus(platform, gp, { ...gp.status, impact: { specHash, pending: false, complete: false, note } }, pluralOf(gp.kind));
    return;
  }
  // The mark first, so that a run killed while it evaluates is reported by the next event instead of
  // starting the same preview again on every event of the object.
  const marked = putStatus(platform, gp, { ...gp.status, impact: { specHash, pending: true, startedAt: new Date(platform.now()).toISOString() } }, pluralOf(gp.kind), { retryOnConflict: false });
  if (!marked.ok) return;
  const current = marked.object as GPTPolicy;
  try {
    preview(platform, current, specHash);
  } catch (thrown) {
    // Said once in the status instead of retried on every event of the object.
    putStatus(platform, current, { ...current.status, impact: { specHash, pending: false, complete: false, note: `the preview failed: ${describeThrown(thrown)}` } }, pluralOf(current.kind));
  }
}

function preview(platform: Platform, gp: GPTPolicy, specHash: string): void {
  // The code jsPolicy runs, read back from the policy's bundle.
  const policy = gp.status?.policyName ? readAppliedPolicy(platform, gp.status.policyName) : undefined;
  if (!policy) {
    putStatus(platform, gp, { ...gp.status, impact: { specHash, pending: false, note: 'the policy or its code is gone' } }, pluralOf(gp.kind));
    return;
  }
  const started = platform.now();
  const bound = namespaceBound(gp);
  const namespaces = new Map(readNamespaces(platform, bound).map((ns) => [ns.metadata.name ?? '', ns.metadata.labels ?? {}]));
  const objects: PreviewInput['objects'] = [];
  let truncated: string | undefined;
  for (const resource of matchedResources(policy, discovery(platform))) {
    // A namespaced intent's policy never sees a cluster-scoped object (its scope is Namespaced).
    if (bound !== undefined && !resource.namespaced) continue;
    const scopes = resource.namespaced ? [...namespaces].filter(([, labels]) => matchesLabelSelector(policy.spec.namespaceSelector, labels)).map(([name]) => name) : [undefined];
    for (const namespace of scopes) {
      if (objects.length >= PREVIEW_MAX_OBJECTS) {
        truncated = `stopped reading at ${PREVIEW_MAX_OBJECTS} objects`;
        break;
      }
      let listed: KubeObject[];
      try {
        listed = platform.listUncached<KubeObject>(resource.kind, groupVersion(resource.group, resource.version), namespace);
      } catch (thrown) {
        // e.g. RBAC narrowed below what the preview needs: say so, preview the rest.
        truncated = `could not list ${resource.resource}${namespace ? ` in ${namespace}` : ''}: ${describeThrown(thrown)}`;
        continue;
      }
      for (const object of listed.slice(0, PREVIEW_MAX_OBJECTS - objects.length)) objects.push({ resource, object });
    }
  }
  const report = platform.toolkit().preview({
    policy,
    specHash,
    objects,
    namespaceLabels: (name) => namespaces.get(name),
    ...(truncated ? { truncated } : {}),
    outOfTime: () => platform.now() - started > PREVIEW_MAX_MS,
    clock: () => platform.now(),
  });
  platform.log('info', 'impact preview', { gptpolicy: gp.metadata.name, evaluated: report.evaluated, affected: report.affected });
  putStatus(platform, gp, { ...gp.status, impact: { ...report, pending: false } }, pluralOf(gp.kind));
}

/**
 * The Namespaces the preview matches the policy's namespaceSelector against: all of them, or for a
 * namespaced intent its own alone, so that its preview reads nothing outside its namespace.
 */
function readNamespaces(platform: Platform, bound: string | undefined): KubeObject[] {
  if (bound === undefined) return platform.listUncached<KubeObject>('Namespace', 'v1');
  const own = bound === '' ? undefined : platform.getUncached<KubeObject>('Namespace', 'v1', bound);
  return own ? [own] : [];
}
