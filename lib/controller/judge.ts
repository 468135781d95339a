import type { JsPolicy } from '../k8s/types.ts';
import type { Finding } from '../lint/types.ts';
import type { ModelAnswer } from '../model/answer.ts';
import { clip } from '../util/clip.ts';

/** One of the model's own test cases that the candidate failed, or that could not run. */
export interface CaseFailure {
  name: string;
  problem: string;
}

/** What the checks found in one answer; nothing to report = the policy may be applied. */
export interface Judgement {
  findings: Finding[];
  errors: number;
  failures: CaseFailure[];
}

/**
 * The checks a candidate goes through before it may reach the cluster. They live in the
 * generation toolkit (linter, parser, sandbox), which the controller loads only when a model has
 * answered, so the no-op path never pays for them.
 */
export interface Checks {
  /** `description`: the GPTPolicy's, which bounds the kinds the policy may reach. */
  lint(policy: JsPolicy, answer: ModelAnswer, description?: string): Finding[];
  /** Runs the answer's own test cases against the candidate in the sandbox. */
  runCases(policy: JsPolicy, answer: ModelAnswer): CaseFailure[];
  /** The code made self-contained with the library helpers it calls (none without a library). */
  inline?(javascript: string, answer?: ModelAnswer): { javascript: string; used: string[] };
}

const MAX_FEEDBACK = 4000;

/** The next user turn: what was wrong, with the fix hints, written for the model. */
export function feedbackText(judgement: Judgement, formatFindings: (findings: Finding[]) => string): string {
  const parts = ['Your policy was not applied. Fix every ERROR and every failing test case, then call submit_policy again with the whole corrected answer.'];
  const errors = judgement.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) parts.push(`Findings:\n${formatFindings(errors)}`);
  if (judgement.failures.length > 0) parts.push(`Your test cases that failed:\n${judgement.failures.map((f) => `- ${f.name}: ${f.problem}`).join('\n')}`);
  return clip(parts.join('\n'), MAX_FEEDBACK);
}

/** One line for the status: how many errors and failures, and the first of them. */
export function judgementSummary(judgement: Judgement): string {
  const first = judgement.findings.find((f) => f.severity === 'error');
  const head = first ? `${first.rule}: ${first.message}` : judgement.failures[0] ? `${judgement.failures[0].name}: ${judgement.failures[0].problem}` : 'passed';
  return clip(`${judgement.errors} lint errors, ${judgement.failures.length} failing test cases; ${head}`, 300);
}
