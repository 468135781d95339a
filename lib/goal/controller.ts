// The curriculum's side effects, in the generation controller (the one that calls the model, one
// run at a time): a goal's step — at most one model call, then one child GPTPolicy created or given
// a new intent — and the recording of a child's outcome in its goal. Decisions are step.ts's and
// narrow.ts's; what is read here is read uncached, within the goal's scope, never Secrets.
import { API_VERSION } from '../gptpolicy/api.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import { labelValueFor } from '../k8s/label-value.ts';
import type { KubeObject } from '../k8s/types.ts';
import { readTokens } from '../model/usage.ts';
import { callModel } from '../platform/call-model.ts';
import { describeThrown, type Platform } from '../platform/platform.ts';
import { readConfig } from '../platform/read-config.ts';
import { protectedNamespaces } from '../policy/guardrails.ts';
import { namespacesNamedIn } from '../policy/intent-namespaces.ts';
import { LEARNED_FROM_LABEL } from '../skills/learn.ts';
import { rank } from '../skills/retrieve.ts';
import { SKILL_API_VERSION, SKILL_KIND, type PolicySkill } from '../skills/types.ts';
import { stackOf } from '../util/thrown.ts';
import { usableSkills } from '../controller/skills.ts';
import { putStatus } from '../controller/status-writes.ts';
import { narrowProposal, type Narrowed } from './narrow.ts';
import { curriculumRequest, PROMPT_BOUNDS, type CurriculumInput } from './prompt.ts';
import { readProposal } from './proposal.ts';
import { afterCall, childSettled, childStarted, maxPolicies, planStep, proposalFailed, stopped, tokenBudget, transientFailure, withFailure } from './step.ts';
import { childSignature } from './triage.ts';
import { GOAL_KIND, GOAL_LABEL, GOAL_OBSERVED_ANNOTATION, GOAL_PLURAL, type GoalChild, type PolicyGoal, type PolicyGoalStatus } from './types.ts';

/** The kinds counted in the goal's namespaces for the prompt: what admission goals are mostly about. */
const OBSERVED_KINDS: ReadonlyArray<[kind: string, apiVersion: string]> = [
  ['Pod', 'v1'],
  ['Deployment', 'apps/v1'],
  ['StatefulSet', 'apps/v1'],
  ['DaemonSet', 'apps/v1'],
  ['Job', 'batch/v1'],
  ['CronJob', 'batch/v1'],
  ['Service', 'v1'],
  ['Ingress', 'networking.k8s.io/v1'],
];

/** A goal event the triage let through. */
export function onGoal(platform: Platform, goal: PolicyGoal): void {
  const step = planStep(goal, platform.now());
  if (step.kind === 'idle') return;
  platform.log('info', step.why, { policygoal: goal.metadata.name, step: step.kind });
  const now = new Date(platform.now()).toISOString();
  switch (step.kind) {
    case 'wait':
      return platform.requeue(step.why);
    case 'record':
      write(platform, goal, step.status);
      return;
    case 'check-in-flight': {
      const name = step.status.inFlight ?? '';
      if (platform.getUncached<GPTPolicy>('GPTPolicy', API_VERSION, name)) write(platform, goal, step.status);
      else write(platform, goal, childGone(step.status, name));
      return;
    }
    case 'interrupted':
      write(platform, goal, interrupted(platform, goal, step.since, now));
      return;
    case 'propose':
      propose(platform, goal, step.status);
  }
}

function childGone(status: PolicyGoalStatus, name: string): PolicyGoalStatus {
  const children = (status.children ?? []).map((c) => (c.name === name ? { ...c, state: 'Failed' as const, reason: 'Deleted', message: 'the child was deleted while it was generated' } : c));
  const { inFlight: _gone, ...rest } = status;
  return withFailure({ ...rest, children }, { step: status.steps ?? 0, child: name, reason: 'Deleted', message: 'the child was deleted while it was generated' });
}

/**
 * A proposal run ended where nothing could catch it (jsPolicy's timeout during the call, most
 * likely). If it had created its child, the child is adopted; otherwise the curriculum stops rather
 * than repeat a call that may not fit the controller's timeout.
 */
function interrupted(platform: Platform, goal: PolicyGoal, since: string, now: string): PolicyGoalStatus {
  const status = goal.status ?? {};
  const known = new Set((status.children ?? []).map((c) => c.name));
  const orphan = platform.listUncached<GPTPolicy>('GPTPolicy', API_VERSION).find((gp) => ownerOf(gp)?.uid === goal.metadata.uid && !known.has(gp.metadata.name ?? ''));
  const { inFlightSince: _mark, ...proposal } = status.proposal ?? {};
  if (orphan) {
    const child: GoalChild = { name: orphan.metadata.name ?? '', intent: orphan.spec.description, namespaces: namespacesNamedIn(orphan.spec.description), state: 'Generating', retries: 0 };
    return childStarted({ ...status, proposal, steps: (status.steps ?? 0) + 1 }, child, 'adopted after the run that proposed it was interrupted (its tokens are not counted)', now);
  }
  const message = `the proposal call started at ${since} never returned: the run was most likely killed at the controller's timeoutSeconds; use a faster model, then edit the goal's spec (a bound) to go on`;
  return stopped({ ...status, proposal }, 'ProposalInterrupted', message, now);
}

/** One step: the mark, the context, one model call, the guard rails, the child, the status. */
function propose(platform: Platform, goal: PolicyGoal, marked: PolicyGoalStatus): void {
  const now = (): string => new Date(platform.now()).toISOString();
  const unmarked = { ...marked, proposal: { ...marked.proposal, inFlightSince: undefined } };
  const config = readConfig(platform, goal.spec.model);
  if (!config.ok) {
    write(platform, goal, stopped(unmarked, config.reason, `${config.message}; then edit the goal's spec (a bound) to go on`, now()));
    return;
  }
  const protectedOnes = protectedNamespaces(config.config.jsPolicyNamespace, config.config.extraProtectedNamespaces);
  const named = namespacesNamedIn(goal.spec.goal);
  const scope = named.filter((n) => !protectedOnes.includes(n));
  if (named.length > 0 && scope.length === 0) {
    write(platform, goal, stopped({ ...unmarked, scope }, 'GoalRefused', `the goal names only protected namespaces (${named.join(', ')}): no policy is generated for them`, now()));
    return;
  }
  // Written with the resourceVersion we were handed: a stale run stops here, before any call.
  const started = write(platform, goal, { ...marked, scope });
  if (!started.ok) return;
  const current = started.object as PolicyGoal;
  try {
    const status = current.status ?? {};
    const children = status.children ?? [];
    const input: CurriculumInput = {
      goal: goal.spec.goal,
      scope,
      spent: status.usage?.totalTokens ?? 0,
      budget: tokenBudget(goal),
      maxPolicies: maxPolicies(goal),
      children,
      failures: status.failures ?? [],
      ...observe(platform, goal, scope, protectedOnes),
    };
    const reply = callModel(platform, config.config, curriculumRequest(config.config.model, input));
    platform.log('info', 'curriculum answered', { policygoal: goal.metadata.name, result: reply.kind });
    if (reply.kind === 'transient') {
      const next = transientFailure(status, reply.reason, reply.message, reply.retryAfterSeconds, platform.now());
      write(platform, current, next.status);
      if (next.requeue) platform.requeue('proposal call failed, retrying after backoff');
      return;
    }
    if (reply.kind === 'fatal') {
      write(platform, current, stopped(status, reply.reason, `${reply.message}; fix it, then edit the goal's spec (a bound) to go on`, now()));
      return;
    }
    const counted = { ...afterCall(status, readTokens(reply.completion.usage)), skillsLearned: learnedFrom(platform, children) };
    const read = readProposal(reply.completion);
    if (!read.ok) {
      write(platform, current, proposalFailed(counted, 'UnreadableProposal', read.problem, now()));
      return;
    }
    const { proposal } = read;
    const judged = { ...counted, judgement: proposal.reason.slice(0, 1000) };
    if (proposal.verdict === 'met') {
      write(platform, current, stopped(judged, 'GoalMet', proposal.reason || 'the model judged the goal met', now()));
      return;
    }
    if (proposal.verdict === 'unreachable') {
      write(platform, current, stopped(judged, 'GoalUnreachable', proposal.reason || 'the model judged the rest of the goal out of reach of admission policies', now()));
      return;
    }
    const narrowed = narrowProposal(proposal, { scope, protectedNamespaces: protectedOnes, children, maxPolicies: maxPolicies(goal) });
    if (!narrowed.ok) {
      platform.log('info', 'proposal refused', { policygoal: goal.metadata.name, problem: narrowed.problem });
      write(platform, current, proposalFailed(judged, 'RefusedProposal', narrowed.problem, now()));
      return;
    }
    const child = narrowed.retry ? retryChild(platform, goal, narrowed, children) : createChild(platform, goal, narrowed, children.length + 1);
    if (typeof child === 'string') {
      write(platform, current, proposalFailed(judged, 'RefusedProposal', child, now()));
      return;
    }
    platform.log('info', narrowed.retry ? 'child given a new intent' : 'child created', { policygoal: goal.metadata.name, child: child.name, namespaces: child.namespaces, dropped: child.dropped });
    write(platform, current, childStarted(judged, child, proposal.reason, now()));
  } catch (thrown) {
    const error = describeThrown(thrown);
    platform.log('error', `controller error during a goal step: ${error}`, { policygoal: goal.metadata.name, stack: stackOf(thrown) });
    write(platform, current, stopped({ ...(current.status ?? {}), proposal: {} }, 'ControllerError', `a bug in gptpolicy during a goal step: ${error}`, now()));
  }
}

/**
 * What the prompt says besides the goal and the progress: the verified library, most relevant to
 * the goal first; the kinds found in the goal's namespaces (none read for a goal over every
 * namespace: one list of every pod in a cluster is not worth a prompt line); the GPTPolicies that
 * already cover something in scope; and the skills learned from this goal's children.
 */
function observe(platform: Platform, goal: PolicyGoal, scope: readonly string[], protectedOnes: readonly string[]): Pick<CurriculumInput, 'skills' | 'observed' | 'existing'> {
  const skills = rank(goal.spec.goal, usableSkills(platform))
    .slice(0, PROMPT_BOUNDS.skills)
    .map(({ skill }) => ({ name: skill.spec.function, description: skill.spec.description }));
  const observed = scope.slice(0, PROMPT_BOUNDS.observed).map((namespace) => {
    const kinds: Record<string, number> = {};
    for (const [kind, apiVersion] of OBSERVED_KINDS) {
      try {
        const n = platform.listUncached<KubeObject>(kind, apiVersion, namespace).length;
        if (n > 0) kinds[kind] = n;
      } catch {
        // Not served, or not readable: the prompt simply does not mention it.
      }
    }
    return { namespace, kinds };
  });
  const existing = platform
    .listUncached<GPTPolicy>('GPTPolicy', API_VERSION)
    .filter((gp) => ownerOf(gp)?.uid !== goal.metadata.uid)
    .filter((gp) => {
      const named = namespacesNamedIn(gp.spec?.description ?? '');
      if (named.some((n) => protectedOnes.includes(n))) return false;
      return scope.length === 0 || named.length === 0 || named.some((n) => scope.includes(n));
    })
    .slice(0, PROMPT_BOUNDS.existing)
    .map((gp) => ({ name: gp.metadata.name ?? '', description: gp.spec.description }));
  return { skills, observed, existing };
}

/** The PolicySkills learned so far from this goal's children (a person approved them; README, skill library). */
function learnedFrom(platform: Platform, children: readonly GoalChild[]): string[] {
  // The label learn.ts writes: the child's name, or its shortened form past 63 characters.
  const names = new Set(children.map((c) => labelValueFor(c.name)));
  return platform
    .listUncached<PolicySkill>(SKILL_KIND, SKILL_API_VERSION)
    .filter((s) => names.has(s.metadata.labels?.[LEARNED_FROM_LABEL] ?? ''))
    .map((s) => s.spec.function)
    .slice(0, 50);
}

function ownerOf(object: KubeObject): { name: string; uid?: string } | undefined {
  return (object.metadata.ownerReferences ?? []).find((ref) => ref.kind === GOAL_KIND && ref.apiVersion === API_VERSION && ref.controller === true);
}

function childName(goalName: string, index: number): string {
  return `${goalName.slice(0, 200).replace(/[.-]+$/, '')}-${index}`;
}

/** A new child GPTPolicy, owned by the goal (deleting the goal deletes it); or why it could not be created. */
function createChild(platform: Platform, goal: PolicyGoal, narrowed: Extract<Narrowed, { ok: true }>, index: number): GoalChild | string {
  const name = childName(goal.metadata.name ?? '', index);
  const child: GPTPolicy = {
    apiVersion: API_VERSION,
    kind: 'GPTPolicy',
    metadata: {
      name,
      // For `kubectl get -l`; the ownerReference, not the label, links child and goal.
      labels: { [GOAL_LABEL]: labelValueFor(goal.metadata.name ?? '') },
      ownerReferences: [{ apiVersion: API_VERSION, kind: GOAL_KIND, name: goal.metadata.name ?? '', uid: goal.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: { description: narrowed.description, ...(goal.spec.model ? { model: goal.spec.model } : {}) },
  };
  const created = platform.create(child);
  if (!created.ok) return `could not create the child GPTPolicy ${name}: ${created.reason ?? 'Error'}: ${created.message ?? ''}`;
  return { name, intent: narrowed.description, namespaces: narrowed.namespaces, ...(narrowed.dropped.length > 0 ? { dropped: narrowed.dropped } : {}), state: 'Generating', retries: 0 };
}

/** A failed child given a new intent: a change of its description, so its controller generates again (one call). */
function retryChild(platform: Platform, goal: PolicyGoal, narrowed: Extract<Narrowed, { ok: true }>, children: readonly GoalChild[]): GoalChild | string {
  const name = narrowed.retry ?? '';
  const entry = children.find((c) => c.name === name);
  const existing = platform.getUncached<GPTPolicy>('GPTPolicy', API_VERSION, name);
  if (!entry || !existing || ownerOf(existing)?.uid !== goal.metadata.uid) return `the child ${name} is gone or no longer this goal's`;
  const updated = platform.update<GPTPolicy>({ ...existing, spec: { ...existing.spec, description: narrowed.description } });
  if (!updated.ok) return `could not give ${name} its new intent: ${updated.reason ?? 'Error'}: ${updated.message ?? ''}`;
  const { reason: _r, message: _m, policyName: _p, ...kept } = entry;
  return { ...kept, intent: narrowed.description, namespaces: narrowed.namespaces, ...(narrowed.dropped.length > 0 ? { dropped: narrowed.dropped } : {}), state: 'Generating', retries: entry.retries + 1 };
}

/**
 * A child of some goal settled (Ready, or failed for good): its goal records how, the goal's own
 * status write is the event that takes the next step, and the child is marked so that its later
 * events (resyncs, our mark) end in the triage.
 */
export function onChildSettled(platform: Platform, gp: GPTPolicy): void {
  const ref = ownerOf(gp);
  if (!ref) return;
  const signature = childSignature(gp);
  for (let attempt = 0; attempt < 2; attempt++) {
    const goal = platform.getUncached<PolicyGoal>(GOAL_KIND, API_VERSION, ref.name);
    if (!goal || goal.metadata.uid !== ref.uid || goal.metadata.deletionTimestamp) return;
    const written = write(platform, goal, childSettled(goal.status ?? {}, gp, new Date(platform.now()).toISOString()));
    if (written.ok) break;
    // Someone wrote the goal meanwhile: once more on the fresh object; otherwise the child's next
    // event (a resync at the latest) tries again, since it is not marked.
    if (written.code !== 409 || attempt === 1) return;
  }
  platform.log('info', 'child settled', { policygoal: ref.name, child: gp.metadata.name, outcome: signature });
  let current: GPTPolicy | undefined = gp;
  for (let attempt = 0; attempt < 2 && current && childSignature(current) === signature; attempt++) {
    const result = platform.update<GPTPolicy>({ ...current, metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, [GOAL_OBSERVED_ANNOTATION]: signature } } });
    if (result.ok || result.reason !== 'Conflict') return;
    current = platform.getUncached<GPTPolicy>('GPTPolicy', API_VERSION, gp.metadata.name ?? '');
  }
}

function write(platform: Platform, goal: PolicyGoal, status: PolicyGoalStatus) {
  return putStatus(platform, goal, status, GOAL_PLURAL, { retryOnConflict: false });
}
