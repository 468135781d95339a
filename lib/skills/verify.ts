// Self-verification: a skill enters retrieval only when its own tests pass in the sandbox. Helpers run
// through a tiny policy per case (see SkillTestCase); examples run their model-answer tests against the
// example policy with the library helpers it calls inlined, exactly as an emitted policy would carry them.
import { withRequestDefaults } from '../toolkit/plausible-request.ts';
import type { AdmissionRequest, JsPolicy, KubeObject, LabelSelector } from '../k8s/types.ts';
import { subsetProblems } from '../lint/subset.ts';
import { compileCandidate } from '../sandbox/index.ts';
import { runCases } from '../toolkit/run-cases.ts';
import { helperClosure, helperIndex, inlineHelpers } from './inline.ts';
import { FUNCTION_NAME } from './names.ts';
import type { PolicySkill, SkillExample, SkillTestCase } from './types.ts';

export interface Verification {
  verified: boolean;
  /** Name of the first failing case (or of the check that failed). */
  failingCase?: string;
  message?: string;
}

export interface CaseOutcome {
  name: string;
  passed: boolean;
  problem?: string;
}

/** The tiny policy that runs one helper case. */
export function helperCasePolicy(call: string): string {
  return `(function (value) { if (value) deny(JSON.stringify(value)); })(\n${call}\n);`;
}

function groupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** A full AdmissionRequest from a PolicyTest-shaped partial one (kind, name, namespace from the object). */
export function completeRequest(partial: SkillTestCase['request']): AdmissionRequest {
  const r = partial as Partial<AdmissionRequest> & { operation: AdmissionRequest['operation'] };
  const source = (r.object ?? r.oldObject ?? null) as KubeObject | null;
  const kind = r.kind ?? (source ? { ...groupVersion(source.apiVersion), kind: source.kind } : { group: '', version: 'v1', kind: 'Pod' });
  const resource = r.resource ?? { group: kind.group, version: kind.version, resource: `${kind.kind.toLowerCase()}s` };
  // Learned skills come from model-written policies: their cases carry no marker of a test either.
  const full: AdmissionRequest = withRequestDefaults({ ...r, kind, resource, requestKind: r.requestKind ?? kind, requestResource: r.requestResource ?? resource });
  const name = r.name ?? source?.metadata?.name;
  if (name) full.name = name;
  const namespace = r.namespace ?? source?.metadata?.namespace;
  if (namespace) full.namespace = namespace;
  if (r.subResource) full.subResource = r.subResource;
  return full;
}

const fail = (failingCase: string, message: string): Verification => ({ verified: false, failingCase, message });

/** Runs a helper's cases; `library` supplies the helpers it calls (verified or not: they are tested with it). */
export function runHelperCases(skill: PolicySkill, library: readonly PolicySkill[] = []): CaseOutcome[] | Verification {
  const spec = skill.spec;
  if (!FUNCTION_NAME.test(spec.function)) return fail('function', `${JSON.stringify(spec.function)} is not a lowerCamelCase identifier`);
  if (!new RegExp(`^\\s*function\\s+${spec.function}\\s*\\(`).test(spec.code)) {
    return fail('code', `spec.code must be one function declaration named ${spec.function}`);
  }
  const tests = spec.tests ?? [];
  if (tests.length < 2) return fail('tests', 'a helper needs at least two test cases');
  const index = helperIndex(library, false);
  index.set(spec.function, skill);
  const { order, missing } = helperClosure([spec.function], index);
  if (missing.length > 0) return fail('calls', `calls skills the library lacks: ${missing.join(', ')}`);
  const helpers = order.map((s) => s.spec.code).join('\n');
  return tests.map((testCase, i) => {
    const name = testCase.name || `tests[${i}]`;
    if (!testCase.call) return { name, passed: false, problem: 'a helper case needs `call`, the expression to evaluate' };
    const compiled = compileCandidate({ javascript: helperCasePolicy(testCase.call), policyType: 'Validating', helpers });
    const result = compiled.run(completeRequest(testCase.request), spec.testCluster ?? []);
    const actual = result.verdict === 'mutate' ? 'allow' : result.verdict;
    const expect = testCase.expect;
    if (actual !== expect.result) {
      return { name, passed: false, problem: `expected ${expect.result}, got ${actual}${result.message ? ` (${result.message})` : ''}` };
    }
    if (expect.message !== undefined && !(result.message ?? '').includes(expect.message)) {
      return { name, passed: false, problem: `expected a message containing ${JSON.stringify(expect.message)}, got ${JSON.stringify(result.message ?? '')}` };
    }
    return { name, passed: true };
  });
}

/** The JsPolicy an example's policy draft stands for (enough for webhook matching and a run). */
export function exampleJsPolicy(example: SkillExample, javascript = example.policy.javascript): JsPolicy {
  const p = example.policy;
  let objectSelector: LabelSelector | undefined;
  if (p.objectSelector.trim() !== '') objectSelector = JSON.parse(p.objectSelector) as LabelSelector;
  return {
    apiVersion: 'policy.jspolicy.com/v1beta1',
    kind: 'JsPolicy',
    metadata: { name: 'example.gptpolicy.dev' },
    spec: {
      type: p.type,
      operations: p.operations,
      resources: p.resources,
      apiGroups: p.apiGroups,
      apiVersions: p.apiVersions,
      scope: p.scope,
      ...(objectSelector ? { objectSelector } : {}),
      javascript,
    },
  };
}

function verifyExample(skill: PolicySkill, library: readonly PolicySkill[]): Verification {
  const example = skill.spec.example;
  if (!example) return fail('example', 'an example skill needs spec.example');
  const inlined = inlineHelpers(example.policy.javascript, library);
  if (inlined.missing.length > 0) return fail('calls', `calls skills the library lacks: ${inlined.missing.join(', ')}`);
  const undeclared = (skill.spec.calls ?? []).filter((name) => !inlined.used.includes(name));
  if (undeclared.length > 0) return fail('calls', `spec.calls names ${undeclared.join(', ')}, which the policy does not call or the library lacks (verified)`);
  let policy: JsPolicy;
  try {
    policy = exampleJsPolicy(example, inlined.javascript);
  } catch {
    return fail('policy.objectSelector', 'must be a LabelSelector as JSON, or ""');
  }
  const failures = runCases(policy, example.tests, example.plan.mutates);
  const first = failures[0];
  return first ? fail(first.name, first.problem) : { verified: true };
}

/**
 * Runs a skill's tests in the sandbox. `library` resolves the helpers it calls: a helper is tested with
 * its callees whatever their status; an example only with verified helpers (what retrieval would offer).
 */
export function verifySkill(skill: PolicySkill, library: readonly PolicySkill[] = []): Verification {
  // Skill code ends up inside emitted policies: it is held to the policy language like generated code.
  const code = skill.spec.kind === 'example' ? skill.spec.example?.policy.javascript ?? '' : skill.spec.code;
  const names = [...helperIndex(library, false).keys(), skill.spec.function];
  const problem = subsetProblems(code, names)[0];
  if (problem) return fail('policy language', `line ${problem.line ?? 1}: ${problem.message} ${problem.hint}`);
  if (skill.spec.kind === 'example') return verifyExample(skill, library);
  const outcomes = runHelperCases(skill, library);
  if (!Array.isArray(outcomes)) return outcomes;
  const failed = outcomes.find((o) => !o.passed);
  return failed ? fail(failed.name, failed.problem ?? 'failed') : { verified: true };
}

/** The skill with its status set from a verification. */
export function skillWithStatus(s: PolicySkill, v: Verification): PolicySkill {
  return {
    ...s,
    status: { ...s.status, verified: v.verified, ...(v.failingCase ? { failingCase: v.failingCase } : {}), ...(v.message ? { message: v.message } : {}) },
  };
}

/**
 * Verifies a whole library in dependency order (a helper whose callee fails fails too) and returns
 * each skill with its status set; input objects are not changed.
 */
export function verifyLibrary(skills: readonly PolicySkill[]): { skill: PolicySkill; verification: Verification }[] {
  const done = new Map<PolicySkill, Verification>();
  const byName = new Map(skills.filter((s) => s.spec.kind === 'helper').map((s) => [s.spec.function, s]));
  const verified: PolicySkill[] = [];
  const visit = (s: PolicySkill, stack: Set<PolicySkill>): Verification => {
    const known = done.get(s);
    if (known) return known;
    stack.add(s);
    for (const name of s.spec.calls ?? []) {
      const callee = byName.get(name);
      if (callee && !stack.has(callee)) {
        const v = visit(callee, stack);
        if (!v.verified) {
          const result = fail('calls', `calls ${name}, which is not verified`);
          done.set(s, result);
          return result;
        }
      }
    }
    stack.delete(s);
    const result = verifySkill(s, verified);
    done.set(s, result);
    if (result.verified) verified.push(skillWithStatus(s, result));
    return result;
  };
  const ordered = [...skills].sort((a, b) => (a.spec.kind === b.spec.kind ? 0 : a.spec.kind === 'helper' ? -1 : 1));
  for (const s of ordered) visit(s, new Set());
  return skills.map((skill) => {
    const verification = done.get(skill) as Verification;
    return { skill: skillWithStatus(skill, verification), verification };
  });
}
