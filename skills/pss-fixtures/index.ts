// Kubernetes' own Pod Security Standards fixtures (pod-security-admission test data, see NOTICE) as
// skill test cases: the oracle for the PSS helpers and examples.
import type { SkillTestCase } from '../../lib/skills/types.ts';
import { fixtures } from './v1.35.ts';

/** The Kubernetes version whose Pod Security Standards the library implements and tests. */
export const PSS_VERSION = 'v1.35';

export interface PssFixture {
  /** The profile whose directory holds the fixture. */
  level: 'baseline' | 'restricted';
  /** pass: that profile allows the pod; fail: it denies it. */
  expect: 'pass' | 'fail';
  file: string;
  /** The pod-security-admission check the fixture exercises ("" for the base pods). */
  check: string;
  pod: Record<string, unknown>;
}

export const PSS_FIXTURES: readonly PssFixture[] = fixtures;

/** A fixture's name in a case: "PSS v1.35 restricted/fail/privileged0.yaml". */
export const fixtureName = (f: PssFixture): string => `PSS ${PSS_VERSION} ${f.level}/${f.expect}/${f.file}`;

/**
 * Helper cases from the fixtures: `select` says, for each fixture, whether `call` (an expression over
 * request.object, the fixture's Pod) must be truthy (true), falsy (false), or is not asked (undefined).
 */
export function pssCases(call: string | ((f: PssFixture) => string), select: (f: PssFixture) => boolean | undefined): SkillTestCase[] {
  const out: SkillTestCase[] = [];
  for (const f of PSS_FIXTURES) {
    const want = select(f);
    if (want === undefined) continue;
    const request = { operation: 'CREATE', object: { ...f.pod, metadata: { namespace: 'default', ...(f.pod.metadata as object) } } };
    const expr = typeof call === 'string' ? call : call(f);
    out.push({ name: fixtureName(f), call: `!!(${expr})`, request, expect: want ? { result: 'deny', message: 'true' } : { result: 'allow' } });
  }
  return out;
}

/** Selects the fixtures of the given checks: their fail files must be caught, their pass files not. */
export function ofChecks(...checks: string[]): (f: PssFixture) => boolean | undefined {
  return (f) => (checks.includes(f.check) ? f.expect === 'fail' : undefined);
}
