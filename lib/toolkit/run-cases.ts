import { withRequestDefaults } from './plausible-request.ts';
import type { CaseFailure } from '../controller/judge.ts';
import type { AdmissionRequest, JsPolicy } from '../k8s/types.ts';
import type { DraftTestCase } from '../model/answer.ts';
import { MUTABLE_FIELDS_ANNOTATION } from '../gptpolicy/api.ts';
import { NAMESPACE_NAME_LABEL } from '../policy/guardrails.ts';
import { mutationViolations } from '../policy/mutation-bounds.ts';
import { matchesWebhook } from '../policy/webhook-match.ts';
import { readAdmissionRequest, readJsonText } from '../model/read-answer.ts';
import { describeThrown } from '../util/thrown.ts';
import { runCandidate, type CandidateResult } from '../sandbox/index.ts';

/**
 * Runs the model's own test cases against the candidate, as the API server and jsPolicy would:
 * first whether the webhook would see the request at all (rules and selectors, with Namespaces
 * labelled by name as the API server labels them), then the code, in the sandbox.
 */
export function runCases(policy: JsPolicy, cases: readonly DraftTestCase[], mutates = '', clock?: () => number): CaseFailure[] {
  const failures: CaseFailure[] = [];
  // Every case within CASE_MAX_MS, all of them within CASES_MAX_MS: the controller's run must end
  // with a status whatever the candidate does (jsPolicy kills it at 30 s).
  const spentAt = clock ? clock() + CASES_MAX_MS : undefined;
  if (!cases.some((c) => c.expect === 'allow') || !cases.some((c) => c.expect !== 'allow')) {
    failures.push({ name: 'tests', problem: 'need at least one case expected to be allowed and one expected to be denied (or mutated)' });
  }
  cases.forEach((testCase, index) => {
    const name = testCase.name || `tests[${index}]`;
    let problem: string | undefined;
    try {
      problem = clock && spentAt !== undefined && clock() > spentAt ? `not run: the test cases together ran longer than ${CASES_MAX_MS} ms` : caseProblem(policy, testCase, index, mutates, clock);
    } catch (thrown) {
      // Whatever one case does to the sandbox (a stack blown by a deep object, say) is that case's failure.
      problem = `the case could not be run: ${describeThrown(thrown)}`;
    }
    if (problem) failures.push({ name, problem });
  });
  return failures;
}

/** One case's wall-clock budget; 100 000 ordinary steps take a few milliseconds. */
export const CASE_MAX_MS = 250;
export const CASES_MAX_MS = 8_000;

function caseProblem(policy: JsPolicy, testCase: DraftTestCase, index: number, mutates: string, clock: (() => number) | undefined): string | undefined {
  const request = parseRequest(testCase.request);
  if (typeof request === 'string') return `tests[${index}].request ${request}`;
  const labels = (namespace: string) => ({ [NAMESPACE_NAME_LABEL]: namespace });
  if (!matchesWebhook(policy, request, labels)) {
    if (testCase.expect === 'allow') return undefined;
    return `expected ${testCase.expect}, but the webhook would never see this request: its operation, resource, API group/version, namespace or labels are outside the policy's operations/resources/apiGroups/apiVersions/scope/objectSelector (or outside the namespaces of plan.namespaces)`;
  }
  const result = runCandidate({ javascript: policy.spec.javascript ?? '', request, policyType: policy.spec.type === 'Mutating' ? 'Mutating' : 'Validating', ...(clock ? { clock, timeBudgetMs: CASE_MAX_MS } : {}) });
  if (result.verdict === 'mutate') {
    // The description's fields (build-jspolicy.ts) bound the plan's: what the guard would refuse at
    // run time fails here, where the model can still fix it.
    const bounds = policy.metadata.annotations?.[MUTABLE_FIELDS_ANNOTATION];
    const outside = bounds === undefined ? [] : mutationViolations(request.object, result.patched, bounds.split(',').filter((p) => p !== ''));
    if (outside.length > 0) return `it changes ${outside.slice(0, 3).join(', ')}: the description does not let a generated policy change that, and the policy would be let through without its patch`;
    const unnamed = changedPaths(request.object, result.patched).filter((path) => !namedIn(path, mutates));
    if (unnamed.length > 0) return `it changes ${unnamed.slice(0, 3).join(', ')}, which plan.mutates ("${mutates}") does not name: mutate only the fields the intent names`;
  }
  return verdictProblem(testCase, result);
}

/** Leaf paths where two JSON values differ, e.g. "spec.containers[0].imagePullPolicy". */
export function changedPaths(before: unknown, after: unknown, path = ''): string[] {
  if (before === after) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (!isObject(before) || !isObject(after) || Array.isArray(before) !== Array.isArray(after)) return [path || '(root)'];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.flatMap((key) => changedPaths(before[key], after[key], Array.isArray(after) ? `${path}[${key}]` : path ? `${path}.${key}` : key));
}

// A changed path is within the intent when its field name (the last one, singular or plural)
// appears in plan.mutates: "sets imagePullPolicy" covers spec.containers[0].imagePullPolicy, "adds
// a sidecar container" covers a new spec.containers[1].
function namedIn(path: string, mutates: string): boolean {
  const text = mutates.toLowerCase();
  const field = path
    .split(/[.[\]]/)
    .filter((part) => part !== '' && !/^\d+$/.test(part))
    .pop()
    ?.toLowerCase();
  return field !== undefined && (text.includes(field) || text.includes(field.replace(/s$/, '')));
}

function verdictProblem(testCase: DraftTestCase, result: CandidateResult): string | undefined {
  if (result.verdict === 'error') {
    if (result.timeExceeded) return `the policy is too slow: ${result.message ?? ''}; look for a regular expression that backtracks (nested quantifiers) or work repeated per item`;
    return `the policy threw: ${result.message ?? ''}${result.budgetExceeded ? ' (step budget exceeded: the code does not finish)' : ''}`;
  }
  const got = result.verdict === 'deny' ? `deny (${result.message ?? ''})` : result.verdict;
  if (testCase.expect !== result.verdict) return `expected ${testCase.expect}, got ${got}`;
  if (testCase.expect === 'deny' && testCase.detail && !(result.message ?? '').includes(testCase.detail)) {
    return `expected a deny message containing ${JSON.stringify(testCase.detail)}, got ${JSON.stringify(result.message ?? '')}`;
  }
  if (testCase.expect === 'mutate' && testCase.detail) {
    const read = readJsonText(testCase.detail);
    if (!read.ok) return `detail must be a JSON subset of the mutated object; it is ${read.problem}`;
    const expected = read.value;
    if (!containsSubset(result.patched, expected)) return `the mutated object does not contain ${testCase.detail}`;
  }
  return undefined;
}

// A complete AdmissionRequest from the model's JSON (the same bounded parser and schema the answer
// was validated with): what the case leaves out is filled in as the API server would send it,
// with no marker of a test (withRequestDefaults).
function parseRequest(json: string): AdmissionRequest | string {
  const read = readAdmissionRequest(json);
  if (!read.ok) return read.problem;
  return withRequestDefaults(read.request as Partial<AdmissionRequest>);
}

/** Whether `actual` has every field of `expected` (recursively; arrays element by element). */
export function containsSubset(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return actual === expected;
  if (actual === null || typeof actual !== 'object') return false;
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.every((e, i) => containsSubset(actual[i], e));
  return Object.entries(expected).every(([k, v]) => containsSubset((actual as Record<string, unknown>)[k], v));
}
