import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { JsPolicy } from '../k8s/types.ts';
import type { Finding } from '../lint/types.ts';
import type { ModelAnswer, PolicyPlan } from '../model/answer.ts';
import type { AnswerRead, AnswerStage } from '../model/read-answer.ts';
import { buildJsPolicy, type BuildContext } from '../policy/build-jspolicy.ts';
import { feedbackText, type Checks, type Judgement } from './judge.ts';

/**
 * The answer pipeline, one stage after the other, each with a typed result:
 *
 *   transport → parse → validate   the toolkit's readAnswer (lib/model/read-answer.ts)
 *   build                          the JsPolicy, with our guard rails (lib/policy/build-jspolicy.ts)
 *   lint → test                    the toolkit's checks (linter, then the answer's own tests in the sandbox)
 *   decide                         lib/controller/outcome.ts: the status, from this result alone
 *
 * The first stage that fails ends it. Nothing here writes or throws: an exception in any stage is a
 * controller bug, returned as `error` with the stage it happened in.
 */
export type Stage = AnswerStage | 'build' | 'lint' | 'test';

export type PipelineResult =
  /** The answer could not be read: not found, not JSON, or not the schema's shape (findings name the paths). */
  | { kind: 'malformed'; stage: AnswerStage; findings: string[]; answerText: string }
  /** Our guard rails refuse it; `final` when no answer could fix it (the intent asks for what we refuse). */
  | { kind: 'refused'; stage: 'build'; reason: 'PolicyRefused' | 'MalformedAnswer'; message: string; final: boolean; answerText: string }
  /** Lint errors, or failing test cases: sent back as the next turn. */
  | { kind: 'failed'; stage: 'lint' | 'test'; judgement: Judgement; feedback: string; plan: PolicyPlan; answerText: string }
  /** Checked: the policy (self-contained: the helpers it calls inlined) may be applied. */
  | { kind: 'passed'; policy: JsPolicy; plan: PolicyPlan; used: string[]; judgement: Judgement; answerText: string }
  /** A controller bug: what was thrown, in which stage. */
  | { kind: 'error'; stage: Stage; thrown: unknown };

export interface PipelineContext {
  owner: GPTPolicy;
  build: BuildContext;
  readAnswer: (completion: unknown) => AnswerRead;
  /** Told the documented coercions the answer needed (tool_calls as an object, …), for the log. */
  coerced?: (coercions: string[]) => void;
  /** The toolkit's checks, loaded only when there is a policy to check. */
  checks: () => Checks & { formatFindings(findings: Finding[]): string };
}

export function checkAnswer(completion: unknown, ctx: PipelineContext): PipelineResult {
  let stage: Stage = 'transport';
  try {
    const read = ctx.readAnswer(completion);
    if (read.coercions.length > 0) ctx.coerced?.(read.coercions);
    if (!read.ok) return { kind: 'malformed', stage: read.stage, findings: read.findings, answerText: read.text ?? '' };
    const { answer, text: answerText } = read;

    stage = 'build';
    const built = buildJsPolicy(ctx.owner, answer, ctx.build);
    if (!built.ok) return { kind: 'refused', stage, reason: built.reason, message: built.message, final: built.final === true, answerText };
    // Judged against the namespaces the policy really reaches (the intent's own words win).
    const inScope: ModelAnswer = { ...answer, plan: { ...answer.plan, namespaces: built.namespaces } };

    stage = 'lint';
    const checks = ctx.checks();
    const findings = checks.lint(built.policy, inScope, ctx.owner.spec.description);
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (errors > 0) {
      const judgement: Judgement = { findings, errors, failures: [] };
      return { kind: 'failed', stage, judgement, feedback: feedbackText(judgement, checks.formatFindings), plan: inScope.plan, answerText };
    }

    stage = 'test';
    const failures = checks.runCases(built.policy, inScope);
    const judgement: Judgement = { findings, errors, failures };
    if (failures.length > 0) return { kind: 'failed', stage, judgement, feedback: feedbackText(judgement, checks.formatFindings), plan: inScope.plan, answerText };

    // Self-contained: the library helpers it calls are part of the code that is hashed and approved.
    const inlined = checks.inline?.(built.policy.spec.javascript ?? '', inScope) ?? { javascript: built.policy.spec.javascript ?? '', used: [] };
    const policy = { ...built.policy, spec: { ...built.policy.spec, javascript: inlined.javascript } };
    return { kind: 'passed', policy, plan: inScope.plan, used: inlined.used, judgement, answerText };
  } catch (thrown) {
    return { kind: 'error', stage, thrown };
  }
}
