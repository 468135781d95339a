// Judging an emitted policy with a task's held-back cases.
//
// Which policy is judged: the emitted JsPolicy AS IT WOULD RUN ONCE APPROVED AT Deny — its own
// spec (resources, apiGroups, operations, scope, objectSelector, and the namespaceSelector our guard
// rails added), its candidate code (unwrapGuard) re-wrapped by the controller's own atStage() for
// stage Deny. Not the raw candidate, and not the emitted policy as is:
// - the raw candidate would lose what the controller adds on purpose and users get: the
//   namespaceSelector (protected namespaces, the intent's namespaces), the guard's coercions and the
//   confinement prologue; and a candidate may `return` at its top level, which only parses inside
//   the guard;
// - the emitted policy as is runs at Dry until a person approves it: its guard turns a thrown error
//   into a marked denial (a crashing policy would pass every "deny" case) and Dry drops every patch
//   (a mutating policy would fail every "object" expectation). At Deny, a thrown error fails open
//   (allow), exactly what users would get in production.
// PolicyTest's expect.result is the verdict before violationPolicy, so the stage changes only the
// guard's error handling and whether patches are kept.
import { atStage } from '../../lib/controller/apply.ts';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import type { ModelAnswer } from '../../lib/model/answer.ts';
import { buildJsPolicy } from '../../lib/policy/build-jspolicy.ts';
import { protectedNamespaces } from '../../lib/policy/guardrails.ts';
import { JSPOLICY_NAMESPACE } from '../local/local-jspolicy.ts';
import { compareCase } from '../runtime/policytest/expect.ts';
import { runPolicyTestCases, type CaseResult } from '../runtime/policytest/run.ts';
import type { BenchCase, BenchTask } from './tasks.ts';

/** The emitted policy as enforced after a Deny approval, stripped of server-set metadata. */
export function policyForEvaluation(emitted: JsPolicy): JsPolicy {
  const enforced = atStage(emitted, { stage: 'Deny' });
  return { apiVersion: enforced.apiVersion, kind: enforced.kind, metadata: { name: enforced.metadata.name }, spec: enforced.spec };
}

/** A reference answer built into the JsPolicy the controller would emit for it (without the controller). */
export function policyFromAnswer(task: Pick<BenchTask, 'id' | 'intent'>, answer: ModelAnswer): JsPolicy {
  const owner = { apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'GPTPolicy' as const, metadata: { name: task.id, uid: 'bench' }, spec: { description: task.intent } };
  const built = buildJsPolicy(owner, answer, { name: `${task.id}.gptpolicy.dev`, intentHash: 'bench', guardrails: { protectedNamespaces: protectedNamespaces(JSPOLICY_NAMESPACE, []) } });
  if (!built.ok) throw new Error(`${task.id}: the reference answer builds no policy: ${built.message}`);
  return built.policy;
}

/** Runs the held-back cases; a case passes when its verdict is any accepted one and the rest holds. */
export function runHeldBack(policy: JsPolicy, cases: readonly BenchCase[], cluster: readonly KubeObject[], nowMs = Date.parse('2024-01-01T00:00:00Z')): CaseResult[] {
  const results = runPolicyTestCases(policy, [...cases], [...cluster], { nowMs });
  return results.map((result, i) => {
    const testCase = cases[i] as BenchCase;
    const actual = result.actual;
    if (result.passed || !actual || testCase.accept.length < 2 || !testCase.accept.includes(actual.result)) return result;
    const failures = compareCase({ ...testCase.expect, result: actual.result }, actual);
    return { ...result, passed: failures.length === 0, failures };
  });
}
