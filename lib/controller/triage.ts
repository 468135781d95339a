import { GROUP } from '../gptpolicy/api.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { AdmissionRequest, JsPolicy, KubeObject } from '../k8s/types.ts';
import { childNews, goalStepDue } from '../goal/triage.ts';
import type { PolicyGoal } from '../goal/types.ts';
import { compileFailure, ownerOf } from './compile-feedback.ts';
import { previewPending } from './impact.ts';
import { intentHash } from './intent.ts';
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
  if (request.kind.kind === 'PolicyApproval') return true;
  const object = request.object as KubeObject | undefined;
  if (!object) return false;
  if (object.metadata.deletionTimestamp) return request.kind.kind === 'GPTPolicy' && (object.metadata.finalizers ?? []).includes(NARROW_FINALIZER);
  if (request.operation === 'DELETE') return false;
  switch (request.kind.kind) {
    case 'PolicySkill':
      return (object.status as { observedGeneration?: number } | undefined)?.observedGeneration !== object.metadata.generation;
    case 'JsPolicyViolations':
      return (object.metadata.name ?? '').endsWith(`.${GROUP}`);
    case 'JsPolicy':
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
