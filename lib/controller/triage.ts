import { OWNER_NAMESPACE_LABEL } from '../gptpolicy/api.ts';
import { isApprovalKind, isIntentKind } from '../gptpolicy/kinds.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { AdmissionRequest, JsPolicy, KubeObject } from '../k8s/types.ts';
import { childNews, goalStepDue } from '../goal/triage.ts';
import type { PolicyGoal } from '../goal/types.ts';
import { compileFailure, ownerOf } from './compile-feedback.ts';
import { previewPending } from './impact.ts';
import { intentHash } from './intent.ts';
import { isGeneratedPolicyName } from './naming.ts';
import { NARROW_FINALIZER } from './removal.ts';

/**
 * Whether an event can need anything of the controller, decided from the request alone. This is
 * all a no-op event compiles: jsPolicy compiles the whole script on every event (V8 9.6 never
 * reuses a compilation across contexts), so the code that acts (reconcile.ts and all it calls) is
 * read from a ConfigMap only by runs for which this answers true. It must never answer false where
 * reconcile would do something; answering true where reconcile then does nothing only costs that
 * read (test/unit/triage.test.ts holds the two in step).
 */
export function needsRun(request: AdmissionRequest): boolean {
  try {
    return decide(request);
  } catch {
    // An object the triage cannot read (a GPTPolicy without a spec): the reconciler reports it.
    return true;
  }
}

function decide(request: AdmissionRequest): boolean {
  if (isApprovalKind(request.kind.kind)) return true;
  const object = request.object as KubeObject | undefined;
  // A NamespacedGPTPolicy gone without its finalizer's run leaves a policy only a sweep removes.
  if (!object) return request.kind.kind === 'NamespacedGPTPolicy' && request.operation === 'DELETE';
  if (object.metadata.deletionTimestamp) return isIntentKind(request.kind.kind) && (object.metadata.finalizers ?? []).includes(NARROW_FINALIZER);
  if (request.operation === 'DELETE') return false;
  switch (request.kind.kind) {
    case 'PolicySkill':
      return (object.status as { observedGeneration?: number } | undefined)?.observedGeneration !== object.metadata.generation;
    case 'JsPolicyViolations':
      return isGeneratedPolicyName(object.metadata.name ?? '');
    case 'JsPolicy':
      // A namespaced owner's policy is checked for being orphaned (one read): no ownerReference
      // lets the garbage collector do it.
      if (object.metadata.labels?.[OWNER_NAMESPACE_LABEL]) return true;
      return ownerOf(object as JsPolicy) !== undefined && compileFailure(object as JsPolicy) !== undefined;
    case 'PolicyGoal':
      return goalStepDue(object as PolicyGoal);
    default: {
      const gp = object as GPTPolicy;
      // A goal's child that settled and whose goal has not recorded it yet: its goal takes the next step.
      return gp.status?.intentHash !== intentHash(gp) || previewPending(gp) || childNews(gp);
    }
  }
}
