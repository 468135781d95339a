import { API_VERSION, GPTPOLICY_KIND, INTENT_ANNOTATION, JSPOLICY_API_VERSION, MANAGED_BY, MANAGED_BY_LABEL, MUTABLE_FIELDS_ANNOTATION, OWNER_LABEL, OWNER_NAME_ANNOTATION, OWNER_NAMESPACE_LABEL, OWNER_UID_LABEL, READABLE_KINDS_ANNOTATION } from '../gptpolicy/api.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import { BUILTIN_RESOURCES, type ServedResource } from '../k8s/builtin-resources.ts';
import { labelValueFor } from '../k8s/label-value.ts';
import type { JsPolicy, LabelSelector } from '../k8s/types.ts';
import type { ModelAnswer } from '../model/answer.ts';
import { GENERATED_TIMEOUT_SECONDS, confineNamespaces, type Guardrails } from './guardrails.ts';
import { namespacesNamedIn } from './intent-namespaces.ts';
import { boundRefusal, clusterScopedRefusal } from './namespace-bound.ts';
import { clusterKindsNamedIn } from './confine.ts';
import { mutableFieldsFromIntent } from './mutation-bounds.ts';
import { isProtectedResource, isWildcardEntry } from '../lint/safety.ts';

/** Every marker of our guard wrapper starts with this (lib/policy/guard.ts). */
const GUARD_MARK = '/*gptpolicy:';

/** A failure is `final` when no answer could fix it (the intent itself asks for what we refuse). */
export type BuiltPolicy = { ok: true; policy: JsPolicy; namespaces: string[] } | { ok: false; reason: 'PolicyRefused' | 'MalformedAnswer'; message: string; final?: boolean };

export interface BuildContext {
  name: string;
  intentHash: string;
  guardrails: Guardrails;
  /**
   * A NamespacedGPTPolicy's namespace: the policy sees that namespace alone (namespace-bound.ts),
   * whatever the description or the answer says. Undefined for a GPTPolicy.
   */
  namespace?: string;
  /**
   * What the cluster serves (its discovery), read only for a namespaced intent's draft: custom kinds
   * that are cluster-scoped are refused as the built-in ones are. Without it, the built-in table.
   */
  served?: () => readonly ServedResource[];
}

/**
 * The JsPolicy for a model's answer, with our guard rails applied by code: only Validating or
 * Mutating, fail open, a short timeout, only the namespaces the intent names (never a protected
 * one), owned by the GPTPolicy.
 * What the model may choose is limited to what it matches and what its code does.
 */
export function buildJsPolicy(owner: GPTPolicy, answer: ModelAnswer, ctx: BuildContext): BuiltPolicy {
  const draft = answer.policy;
  if (draft.type !== 'Validating' && draft.type !== 'Mutating') {
    return { ok: false, reason: 'PolicyRefused', message: `policy.type ${JSON.stringify(draft.type)} is refused: only Validating or Mutating policies are generated` };
  }
  // Enforced here, not only by the linter: what the cluster needs to heal itself and credentials
  // are never matched, and nothing may pose as our own wrapper (it would be unwrapped, unchecked).
  // Wildcards first: the model can narrow them, so they do not end the attempts as a protected name does.
  if (draft.resources.some(isWildcardEntry)) {
    return { ok: false, reason: 'PolicyRefused', message: 'policy.resources may not contain "*" or "<resource>/*": name the plural resources (and allowed subresources) the intent is about' };
  }
  const protectedHit = draft.resources.filter((r) => isProtectedResource(r));
  if (protectedHit.length > 0) {
    return { ok: false, reason: 'PolicyRefused', message: `gptpolicy never generates policies for ${protectedHit.join(', ')}: they hold credentials, or the cluster needs them to heal itself`, final: true };
  }
  const code = [draft.javascript, ...(answer.helpers ?? []).map((h) => h.code)];
  if (code.some((c) => c.includes(GUARD_MARK))) {
    return { ok: false, reason: 'PolicyRefused', message: `the code may not contain "${GUARD_MARK}": that marks gptpolicy's own wrapper` };
  }
  if (ctx.namespace !== undefined) {
    const refusal = boundRefusal(ctx.namespace, owner.spec.description, ctx.guardrails);
    if (refusal) return { ok: false, reason: 'PolicyRefused', message: refusal, final: true };
    const clusterScoped = clusterScopedRefusal(ctx.namespace, draft, owner.spec.description, ctx.served ? [...BUILTIN_RESOURCES, ...ctx.served()] : BUILTIN_RESOURCES);
    if (clusterScoped) return { ok: false, reason: 'PolicyRefused', ...clusterScoped };
  }
  // The namespaces the user's own words name win over the model's reading of them; a namespaced
  // intent's own namespace wins over both.
  const named = namespacesNamedIn(owner.spec.description);
  const namespaces = ctx.namespace !== undefined ? [ctx.namespace] : named.length > 0 ? named : answer.plan.namespaces;
  const blocked = namespaces.filter((n) => ctx.guardrails.protectedNamespaces.includes(n));
  if (blocked.length > 0) {
    const message = `the intent names protected namespace(s) ${blocked.join(', ')}: gptpolicy never generates policies for ${ctx.guardrails.protectedNamespaces.join(', ')}`;
    return { ok: false, reason: 'PolicyRefused', message, final: true };
  }
  const objectSelector = parseSelector(draft.objectSelector);
  if (objectSelector === null) {
    return { ok: false, reason: 'MalformedAnswer', message: 'policy.objectSelector must be a LabelSelector as JSON, or ""' };
  }
  const ownerName = owner.metadata.name ?? '';
  const ownerLabel = labelValueFor(ownerName);
  const policy: JsPolicy = {
    apiVersion: JSPOLICY_API_VERSION,
    kind: 'JsPolicy',
    metadata: {
      name: ctx.name,
      labels: { [OWNER_LABEL]: ownerLabel, [MANAGED_BY_LABEL]: MANAGED_BY, ...(ctx.namespace !== undefined ? { [OWNER_NAMESPACE_LABEL]: ctx.namespace, [OWNER_UID_LABEL]: owner.metadata.uid ?? '' } : {}) },
      annotations: {
        [INTENT_ANNOTATION]: ctx.intentHash,
        ...(ownerLabel !== ownerName ? { [OWNER_NAME_ANNOTATION]: ownerName } : {}),
        ...intentBounds(owner.spec.description, draft.type, ctx.namespace !== undefined),
      },
      // A cluster-scoped object cannot be owned by a namespaced one: a NamespacedGPTPolicy's policy
      // is found by its labels and removed by its finalizer (lib/controller/removal.ts).
      ...(ctx.namespace !== undefined
        ? {}
        : { ownerReferences: [{ apiVersion: API_VERSION, kind: GPTPOLICY_KIND, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }] }),
    },
    spec: {
      type: draft.type,
      operations: draft.operations,
      resources: draft.resources,
      apiGroups: draft.apiGroups,
      apiVersions: draft.apiVersions,
      scope: ctx.namespace !== undefined ? 'Namespaced' : draft.scope,
      failurePolicy: 'Ignore',
      timeoutSeconds: GENERATED_TIMEOUT_SECONDS,
      namespaceSelector: confineNamespaces(namespaces, ctx.guardrails),
      ...(objectSelector ? { objectSelector } : {}),
      javascript: draft.javascript,
    },
  };
  return { ok: true, policy, namespaces };
}

// What the guard lets the policy read and patch, read from the user's words (guard.ts guardOptionsFor).
// A namespaced intent reads no cluster-scoped kind: only its namespace (and that Namespace object).
function intentBounds(description: string, type: 'Validating' | 'Mutating', namespaced: boolean): Record<string, string> {
  const kinds = namespaced ? [] : clusterKindsNamedIn(description);
  return {
    ...(kinds.length > 0 ? { [READABLE_KINDS_ANNOTATION]: kinds.join(',') } : {}),
    ...(type === 'Mutating' ? { [MUTABLE_FIELDS_ANNOTATION]: mutableFieldsFromIntent(description).join(',') } : {}),
  };
}

// undefined = no selector; null = not a selector.
function parseSelector(json: string | undefined): LabelSelector | undefined | null {
  if (json === undefined || json.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(json);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    const { matchLabels, matchExpressions } = value as LabelSelector;
    if (!matchLabels && !matchExpressions) return undefined;
    return { ...(matchLabels ? { matchLabels } : {}), ...(matchExpressions ? { matchExpressions } : {}) };
  } catch {
    return null;
  }
}
