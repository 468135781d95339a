// The status jsPolicy's JsPolicy reconciler writes (pkg/controllers/jspolicy.go:85-300, reconcilePhase).
import type { JsPolicy, JsPolicyStatus } from '../../../lib/k8s/types.ts';
import type { Cluster } from '../contracts.ts';
import { kubeTimestamp } from '../webhook/audit.ts';
import { JSPOLICY_API_VERSION } from '../webhook/script.ts';
import { bundleHash, checkPolicyJavascript } from './compile-check.ts';

export type JsPolicyCondition = NonNullable<JsPolicyStatus['conditions']>[number];

export interface ConditionInput {
  type: string;
  ok: boolean;
  reason?: string;
  message?: string;
}

/** What one reconcile pass decides: the status, and whether the policy's webhook / controller is active. */
export interface ReconcileDecision {
  status: JsPolicyStatus;
  /**
   * The javascript of the JsPolicyBundle to write (install.ts stores base64(gzip(it)) as spec.bundle, as
   * jsPolicy stores compress.Compress of dist/bundle.js, bundle.go:110): webpack's output; spec.javascript
   * itself where webpack cannot run here (no webpack installed); absent with dependencies.
   */
  compiledJavascript?: string;
}

function conditionsFrom(inputs: ConditionInput[], previous: JsPolicyCondition[], nowMs: number): JsPolicyCondition[] {
  const failing = inputs.find((c) => !c.ok);
  const ready: ConditionInput = failing ? { type: 'Ready', ok: false, reason: failing.reason, message: failing.message } : { type: 'Ready', ok: true };
  const all = [ready, ...inputs.slice().sort((a, b) => a.type.localeCompare(b.type))];
  return all.map((c) => {
    const status = c.ok ? 'True' : 'False';
    const before = previous.find((p) => p.type === c.type);
    const condition: JsPolicyCondition = {
      type: c.type,
      status,
      lastTransitionTime: before && before.status === status && before.lastTransitionTime ? before.lastTransitionTime : kubeTimestamp(nowMs),
    };
    if (!c.ok) {
      condition.severity = 'Error';
      if (c.reason) condition.reason = c.reason;
      if (c.message) condition.message = c.message;
    }
    return condition;
  });
}

/**
 * What jsPolicy's syncControllerPolicy makes of a Controller policy whose bundle compiled: its ControllerReady
 * (install.ts keeps jsPolicy's hash map and starts the controller; controller-sync.ts has the rule).
 */
export type SyncController = (policy: JsPolicy) => Omit<ConditionInput, 'type'>;

/**
 * One reconcile pass, folded: jsPolicy needs two passes for a Controller policy (ControllerReady appears one
 * pass after Synced); here both happen at once. The compile is jsPolicy's webpack step (compile-check.ts →
 * webpack-bundle.ts), recompiled on every new generation (jsPolicy: when bundleHash changes, jspolicy.go:236/267),
 * its result cached by content.
 */
export function decideJsPolicyStatus(policy: JsPolicy, cluster: Cluster, nowMs: number, syncController: SyncController): ReconcileDecision {
  const spec = policy.spec ?? {};
  const name = policy.metadata?.name ?? '';
  const inputs: ConditionInput[] = [];
  let compiledJavascript: string | undefined;
  if (spec.javascript) {
    const compiled = checkPolicyJavascript(policy);
    // jspolicy.go:240-246: errMsg is cut at 10000 characters but never used; the condition gets the whole err ("%v").
    if (!compiled.ok) inputs.push({ type: 'BundleCompiled', ok: false, reason: 'CompileFailed', message: compiled.message });
    else {
      inputs.push({ type: 'BundleCompiled', ok: true });
      if (compiled.bundle !== undefined) compiledJavascript = compiled.bundle;
      else if (!compiled.module && Object.keys(spec.dependencies ?? {}).length === 0) compiledJavascript = spec.javascript;
    }
  } else if (!cluster.get(JSPOLICY_API_VERSION, 'JsPolicyBundle', undefined, name)) {
    inputs.push({ type: 'BundleCompiled', ok: false, reason: 'BundleMissing', message: "couldn't find js policy bundle, but no javascript provided" });
  } else {
    inputs.push({ type: 'BundleCompiled', ok: true });
  }
  const compiledOk = inputs.every((c) => c.ok);
  if (compiledOk) {
    if (spec.type === 'Controller') {
      inputs.push({ type: 'ControllerReady', ...syncController(policy) });
    } else {
      inputs.push({ type: 'WebhookReady', ok: true });
    }
  }
  const conditions = conditionsFrom(inputs, policy.status?.conditions ?? [], nowMs);
  const failing = inputs.find((c) => !c.ok);
  const status: JsPolicyStatus = { phase: failing ? 'Failed' : 'Synced' };
  if (failing?.reason) status.reason = failing.reason;
  if (failing?.message) status.message = failing.message;
  status.conditions = conditions;
  status.observedGeneration = generationOf(policy);
  status.bundleHash = bundleHash(policy);
  const decision: ReconcileDecision = { status };
  if (compiledJavascript !== undefined) decision.compiledJavascript = compiledJavascript;
  return decision;
}

/** metadata.generation (the API server starts it at 1; a store that does not track it counts as 1). */
export function generationOf(policy: JsPolicy): number {
  return policy.metadata?.generation ?? 1;
}

/** False when jsPolicy has deleted (or never created) the policy's webhooks: CompileFailed or BundleMissing. */
export function hasActiveWebhook(policy: JsPolicy): boolean {
  const compiled = policy.status?.conditions?.find((c) => c.type === 'BundleCompiled');
  return !(compiled && compiled.status === 'False');
}

/** Whether the status still describes an older generation (only then is the reconcile re-run). */
export function needsReconcile(policy: JsPolicy): boolean {
  return policy.status?.observedGeneration !== generationOf(policy);
}
