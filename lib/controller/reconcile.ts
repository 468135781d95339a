import { API_VERSION } from '../gptpolicy/api.ts';
import { isApprovalKind, isIntentKind, keyOf, namespaceBound, NAMESPACED_INTENT, pluralOf } from '../gptpolicy/kinds.ts';
import type { GenerationState, GPTPolicy, GPTPolicyStatus } from '../gptpolicy/types.ts';
import type { ServedResource } from '../k8s/builtin-resources.ts';
import type { AdmissionRequest, JsPolicy } from '../k8s/types.ts';
import { callModel } from '../platform/call-model.ts';
import type { StatusWrite } from '../platform/kube-api.ts';
import { describeThrown, type Platform } from '../platform/platform.ts';
import { readTokens } from '../model/usage.ts';
import { stackOf } from '../util/thrown.ts';
import type { Toolkit } from '../toolkit/api.ts';
import { readConfig } from '../platform/read-config.ts';
import { protectedNamespaces } from '../policy/guardrails.ts';
import { boundRefusal } from '../policy/namespace-bound.ts';
import { applyPolicy, atStage, readAppliedPolicy, rolloutStatus, specHashOf, stageFor } from './apply.ts';
import { compileFailure, ownerKeyOf } from './compile-feedback.ts';
import { discovery } from './discovery.ts';
import { previewPending, runPreview } from './impact.ts';
import { policyNameFor } from './naming.ts';
import { nextStep } from './next-step.ts';
import { onApproval } from './on-approval.ts';
import { onViolations } from './on-violations.ts';
import { countUses, onSkill, usableSkills } from './skills.ts';
import type { PolicySkill } from '../skills/types.ts';
import { recoveredStatus } from './recover.ts';
import { onDeleting, sweepIfOrphaned, sweepPoliciesOf, withFinalizer } from './removal.ts';
import { decide, type Ending } from './outcome.ts';
import { isOwnedBy } from './ownership.ts';
import { checkAnswer } from './pipeline.ts';
import { putStatus as putObjectStatus } from './status-writes.ts';
import { onChildSettled, onGoal } from '../goal/controller.ts';
import { childNews } from '../goal/triage.ts';
import { GOAL_KIND, type PolicyGoal } from '../goal/types.ts';

/**
 * Which controller JsPolicy runs: the generation controller (GPTPolicy events, the only one that
 * calls the model) or the bookkeeping controller (approvals, violations, skills, our JsPolicies),
 * so that bookkeeping never waits behind a model call in the generation controller's one worker.
 */
export type ControllerRole = 'generation' | 'bookkeeping';

/**
 * One controller run for one event: a GPTPolicy (its intent) or a JsPolicy we generated (jsPolicy
 * reporting it could not compile it). At most one model call per run, and only after a status
 * write has recorded it, so a run that jsPolicy kills mid-call is seen by the next event.
 */
export function reconcile(platform: Platform, request: AdmissionRequest, role: ControllerRole = 'generation'): void {
  // Whatever its resources say, the bookkeeping controller never reaches the model.
  if (role === 'bookkeeping' && (isIntentKind(request.kind.kind) || request.kind.kind === GOAL_KIND)) return;
  // A GPTPolicy being deleted first narrows its policy to nothing (removal.ts); the policy itself
  // goes with its owner through the ownerReference (a NamespacedGPTPolicy's, which cannot be owned
  // across scopes, is removed by the finalizer).
  if (isApprovalKind(request.kind.kind)) {
    onApproval(platform, request);
    return;
  }
  if (!request.object) {
    // Gone without its finalizer's run (someone removed the finalizer): nothing else would ever
    // remove the policy of a namespaced owner.
    if (request.kind.kind === NAMESPACED_INTENT.kind && request.operation === 'DELETE') sweepPoliciesOf(platform, request.namespace ?? '', request.name ?? '');
    return;
  }
  if (request.object.metadata.deletionTimestamp) {
    if (isIntentKind(request.kind.kind)) onDeleting(platform, request.object as GPTPolicy);
    return;
  }
  if (request.operation === 'DELETE') return;
  if (request.kind.kind === 'PolicySkill') {
    onSkill(platform, request.object);
    return;
  }
  if (request.kind.kind === 'JsPolicyViolations') {
    onViolations(platform, request.object);
    return;
  }
  if (request.kind.kind === 'JsPolicy') {
    onGeneratedPolicy(platform, request.object as JsPolicy);
    return;
  }
  if (request.kind.kind === GOAL_KIND) {
    onGoal(platform, request.object as PolicyGoal);
    return;
  }
  const gp = request.object as GPTPolicy;
  const step = nextStep(gp, platform.now());
  if (step.kind === 'idle') {
    // The preview runs in a run of its own, after the one that applied the policy; a goal's child
    // is news for its goal once it has settled, preview included (lib/goal/controller.ts).
    if (previewPending(gp)) runPreview(platform, gp);
    else if (childNews(gp)) onChildSettled(platform, gp);
    return;
  }
  platform.log('info', step.why, { gptpolicy: gp.metadata.name, step: step.kind });
  if (step.kind === 'wait') platform.requeue(step.why);
  if (step.kind === 'record') {
    // jsPolicy's cache may still show our own in-flight mark after the run that set it finished:
    // written against the version we were handed, a stale view conflicts instead of overwriting.
    const generation = step.status.generation;
    const recovered = generation ? recoveredStatus(platform, gp, generation) : undefined;
    putStatus(platform, gp, recovered ?? step.status, { retryOnConflict: false });
    return;
  }
  generate(platform, gp, step.generation, step.status);
}

/**
 * One attempt: the model call, the answer pipeline (pipeline.ts), and whatever it leads to, each
 * ending turned into the status in one place (outcome.ts decide). Three status writes mark where a
 * run is, so that an ending nothing can catch (jsPolicy's timeout, a hang, memory) is reported for
 * what it was by the next event: the in-flight mark before the call, the answered mark (with the
 * call's usage) right after it returns, and the outcome. Anything thrown after the in-flight mark
 * is caught and reported as ControllerError with where it happened: never a stale mark.
 */
function generate(platform: Platform, gp: GPTPolicy, generation: GenerationState, inFlight: GPTPolicyStatus): void {
  const nowMs = () => platform.now();
  const config = readConfig(platform, gp.spec.model);
  const guardrails = config.ok ? { protectedNamespaces: protectedNamespaces(config.config.jsPolicyNamespace, config.config.extraProtectedNamespaces) } : undefined;
  // A namespaced intent that no answer could serve (a protected namespace, another namespace named)
  // is refused before any call is spent.
  const bound = namespaceBound(gp);
  const refusal = bound !== undefined && guardrails ? boundRefusal(bound, gp.spec.description, guardrails) : undefined;
  if (refusal) {
    putStatus(platform, gp, decide(gp, generation, { kind: 'not-started', reason: 'PolicyRefused', message: refusal }, nowMs()).status, { retryOnConflict: false });
    return;
  }
  const toolkit = config.ok ? loadToolkit(platform) : config.message;
  if (!config.ok || typeof toolkit === 'string' || !guardrails) {
    // No model call happened: record the reason without spending the attempt.
    const ending: Ending = { kind: 'not-started', reason: config.ok ? 'BadConfig' : config.reason, message: String(toolkit) };
    putStatus(platform, gp, decide(gp, generation, ending, nowMs()).status, { retryOnConflict: false });
    return;
  }
  // Written with the resourceVersion we were handed: if the object moved on, this run is stale
  // and its successor (already queued by that change) decides instead — no call on stale state.
  const started = putStatus(platform, gp, inFlight, { retryOnConflict: false });
  if (!started.ok) return;
  let current = started.object as GPTPolicy;
  let where: Extract<Ending, { kind: 'controller-error' }>['where'] = 'prompt';
  let callSpent = false;
  let policyName: string | undefined;
  let usedSkills: { skills: PolicySkill[]; used: string[] } | undefined;
  try {
    const { model } = config.config;
    // The library's most relevant verified skills go into the prompt (retrieval needs the toolkit,
    // which this run loads anyway to check the answer).
    const skills = usableSkills(platform);
    const retrieved = skills.length > 0 ? toolkit.skillsForIntent(gp.spec.description, skills) : { names: [], text: '', tokens: 0 };
    if (retrieved.names.length > 0) platform.log('info', 'skills retrieved', { gptpolicy: gp.metadata.name, skills: retrieved.names, tokens: retrieved.tokens });
    current = { ...current, status: { ...current.status, skills: { retrieved: retrieved.names } } };
    // The prompt, like everything about the answer, lives in the toolkit: off the no-op path.
    const body = toolkit.chatRequest(model, gp.spec.description, generation.turns ?? [], retrieved.text);

    where = 'model call';
    callSpent = true;
    const reply = callModel(platform, config.config, body);
    platform.log('info', 'model answered', { gptpolicy: gp.metadata.name, call: generation.calls, result: reply.kind, reason: 'reason' in reply ? reply.reason : undefined });
    if (reply.kind !== 'completion') {
      const decision = decide(current, generation, reply, nowMs());
      where = 'status';
      putStatus(platform, current, decision.status);
      if (decision.requeue) platform.requeue('model call failed, retrying after backoff');
      return;
    }

    // The answered mark, before anything reads the answer: from here on, an ending nothing can
    // catch is reported as RunInterrupted with this call's usage, not as an interrupted call.
    where = 'status';
    const marked = decide(current, generation, { kind: 'answered', tokens: readTokens(reply.completion.usage) }, nowMs()).status;
    const markWrite = putStatus(platform, current, marked);
    current = markWrite.ok ? (markWrite.object as GPTPolicy) : { ...current, status: marked };

    // Read once a run, by whichever needs it first: a namespaced intent's build, or the checks.
    let served: ServedResource[] | undefined;
    const servedNow = (): ServedResource[] => (served = served ?? discovery(platform));
    const build = { name: policyNameFor(gp), intentHash: generation.intentHash, guardrails, ...(bound !== undefined ? { namespace: bound, served: servedNow } : {}) };
    const result = checkAnswer(reply.completion, {
      owner: gp,
      build,
      readAnswer: toolkit.readAnswer,
      coerced: (coercions) => platform.log('info', 'answer read after documented coercions', { gptpolicy: gp.metadata.name, coercions }),
      checks: () => toolkit.checks(servedNow(), skills, nowMs),
    });
    platform.log('info', 'answer checked', { gptpolicy: gp.metadata.name, call: generation.calls, result: result.kind, stage: result.kind === 'passed' ? undefined : result.stage });
    if (result.kind === 'error') {
      where = result.stage;
      throw result.thrown;
    }
    if (result.kind !== 'passed') {
      putStatus(platform, current, decide(current, generation, result, nowMs()).status);
      return;
    }

    where = 'apply';
    // A new policy runs Dry until a person approves its exact hash; unchanged code keeps its stage.
    const { effective, specHash } = stageFor(platform, current, result.policy);
    const owner = ensureFinalizer(platform, current);
    if (!owner) {
      // Being deleted, or not writable now: apply nothing; the next event of the object decides.
      putStatus(platform, current, decide(current, generation, { kind: 'not-writable' }, nowMs()).status);
      return;
    }
    const applied = applyPolicy(platform, owner, atStage(result.policy, effective));
    const written = applied !== 'not-ours' && applied.ok;
    if (written) policyName = result.policy.metadata.name;
    // A new spec starts a new count of violations; the same spec keeps its history.
    const sameSpec = owner.status?.rollout?.specHash === specHash;
    const since = sameSpec ? owner.status?.rollout?.since : new Date(nowMs()).toISOString();
    // A newly applied spec asks for an impact preview; the same spec keeps the one it had.
    const impact = sameSpec && owner.status?.impact ? owner.status.impact : written ? { specHash, pending: true } : undefined;
    const outcome = { passed: result, rollout: rolloutStatus(specHash, effective, since), impact };
    const ending: Ending =
      applied === 'not-ours' ? { kind: 'name-taken', ...outcome } : applied.ok ? { kind: 'applied', ...outcome } : { kind: 'rejected', problem: `${applied.reason ?? 'Error'}: ${applied.message ?? ''}`, ...outcome };
    where = 'status';
    putStatus(platform, owner, decide(owner, generation, ending, nowMs()).status);
    if (written) usedSkills = { skills, used: result.used };
  } catch (thrown) {
    // A controller bug. Said in the status, where it happened, instead of leaving a mark that the
    // next event would misreport; the stack goes to jsPolicy's log.
    const error = describeThrown(thrown);
    platform.log('error', `controller error during ${where}: ${error}`, { gptpolicy: gp.metadata.name, stack: stackOf(thrown) });
    const ending: Ending = { kind: 'controller-error', where, error, callSpent, ...(policyName ? { policyName } : {}) };
    putStatus(platform, current, decide(current, generation, ending, nowMs()).status);
    return;
  }
  // After the outcome is written: a failure to count the skills' uses changes no outcome.
  if (usedSkills) {
    try {
      countUses(platform, usedSkills.skills, usedSkills.used);
    } catch (thrown) {
      platform.log('error', `could not count the uses of skills: ${describeThrown(thrown)}`, { gptpolicy: gp.metadata.name });
    }
  }
}

/**
 * Adds the removal finalizer before the first policy exists, so no policy can outlive its owner
 * unnarrowed. Someone may have edited the GPTPolicy during the model call: on a conflict the fresh
 * object is tried once more. Undefined = no finalizer, so nothing may be applied.
 */
function ensureFinalizer(platform: Platform, gp: GPTPolicy): GPTPolicy | undefined {
  let current: GPTPolicy | undefined = gp;
  for (let attempt = 0; attempt < 2 && current; attempt++) {
    if (current.metadata.deletionTimestamp) return undefined;
    const desired = withFinalizer(current);
    if (!desired) return current;
    const result = platform.update(desired);
    if (result.ok && result.object) return result.object;
    platform.log('error', `could not add the removal finalizer: ${result.reason ?? ''}: ${result.message ?? ''}`, { gptpolicy: gp.metadata.name });
    if (result.reason !== 'Conflict') return undefined;
    current = platform.getUncached<GPTPolicy>(gp.kind, gp.apiVersion, keyOf(gp));
  }
  return undefined;
}



/**
 * jsPolicy compiles a policy after our create() and reports failure only in the policy's status
 * (CompileFailed; it then removes the policy's webhooks, so nothing is enforced). That starts the
 * platform's correction round, once per intent. Every other JsPolicy event ends at the first check.
 */
function onGeneratedPolicy(platform: Platform, cached: JsPolicy): void {
  const owner = ownerKeyOf(cached);
  // A NamespacedGPTPolicy's policy outlives its owner only if the finalizer was taken off by hand.
  if (owner?.kind === NAMESPACED_INTENT.kind && sweepIfOrphaned(platform, cached)) return;
  if (!owner || compileFailure(cached) === undefined) return;
  // The event may be older than the policy: judge the one the API server has now.
  const policy = readAppliedPolicy(platform, cached.metadata.name ?? '');
  const failure = policy ? compileFailure(policy) : undefined;
  const gp = failure === undefined ? undefined : platform.getUncached<GPTPolicy>(owner.kind, API_VERSION, owner.key);
  const status = gp?.status;
  // Only for the policy this GPTPolicy last applied, and only while that outcome stands.
  if (!gp || !policy || !status?.generation || !isOwnedBy(policy, gp) || status.policyName !== policy.metadata.name || status.intentHash !== status.generation.intentHash) return;
  if (status.rollout?.specHash !== specHashOf(policy)) return;
  if (status.conditions?.some((c) => c.type === 'Ready' && c.reason === 'PolicyCompileFailed')) return;
  platform.log('info', 'jsPolicy could not compile the generated policy', { gptpolicy: owner.key, policy: policy.metadata.name });
  putStatus(platform, gp, decide(gp, status.generation, { kind: 'compile-failed', problem: failure ?? '' }, platform.now()).status);
}

/** The toolkit, or why it cannot be had (checked before any model call is spent). */
function loadToolkit(platform: Platform): Toolkit | string {
  try {
    return platform.toolkit();
  } catch (thrown) {
    return describeThrown(thrown);
  }
}

function putStatus(platform: Platform, gp: GPTPolicy, status: GPTPolicyStatus, options = { retryOnConflict: true }): StatusWrite {
  return putObjectStatus(platform, gp, status, pluralOf(gp.kind), options);
}
