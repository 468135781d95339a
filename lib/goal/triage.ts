// What the generation controller's triage asks about goals, from one object alone (no reads): it is
// compiled on every event, so it stays this small.
import type { GPTPolicy } from '../gptpolicy/types.ts';
import { GOAL_KIND, GOAL_OBSERVED_ANNOTATION, type PolicyGoal } from './types.ts';

/**
 * Whether a goal event can need a step: a new spec, a proposal run that left its mark, or a goal that
 * is neither stopped nor waiting for a child. A resync of a stopped goal, or of one whose child is in
 * flight, ends here (lib/goal/step.ts planStep is idle exactly then; test/unit/goal.test.ts holds
 * the two in step).
 */
export function goalStepDue(goal: PolicyGoal): boolean {
  if (goal.metadata.deletionTimestamp) return false;
  const status = goal.status;
  if (!status || status.observedGeneration !== goal.metadata.generation) return true;
  if (status.proposal?.inFlightSince) return true;
  return !status.stopped && !status.inFlight;
}

/** A settled child's outcome: the intent it settled for and how (the Ready reason). */
export function childSignature(gp: GPTPolicy): string {
  const ready = (gp.status?.conditions ?? []).find((c) => c.type === 'Ready');
  return `${gp.status?.intentHash ?? ''}/${ready?.reason ?? ''}`;
}

/**
 * A settled GPTPolicy controlled by a goal, whose outcome that goal has not recorded yet. The
 * ownerReference, not the label (anyone may set a label), makes a GPTPolicy a goal's child.
 */
export function childNews(gp: GPTPolicy): boolean {
  if (!(gp.metadata.ownerReferences ?? []).some((ref) => ref.kind === GOAL_KIND && ref.controller === true)) return false;
  return (gp.metadata.annotations ?? {})[GOAL_OBSERVED_ANNOTATION] !== childSignature(gp);
}
