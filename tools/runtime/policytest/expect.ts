// Comparing what a case produced with what it expects.
import type { CaseExpectation, CaseVerdict } from './format.ts';

export interface CaseActual {
  /** The policy's own verdict (before violationPolicy). */
  result: CaseVerdict;
  /** After violationPolicy: the API server rejects the request. */
  enforced: boolean;
  /** The deny or error message. */
  message?: string;
  /** As the client receives them. */
  warnings: string[];
  /** The object as stored after mutation (or, for Controller policies, as stored after the run). */
  object?: unknown;
  /** process.versions.v8 of the engine that ran the case (absent when the policy never ran). */
  v8?: string;
}

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** Where `expected` is not contained in `actual`: objects by key, arrays element by element (same length), null also matches absent. */
export function subsetMismatches(expected: unknown, actual: unknown, path: string, out: string[] = []): string[] {
  if (expected === null) {
    if (actual !== null && actual !== undefined) out.push(`${path}: expected null/absent, got ${show(actual)}`);
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) out.push(`${path}: expected a list, got ${show(actual)}`);
    else if (actual.length !== expected.length) out.push(`${path}: expected ${expected.length} items, got ${actual.length}: ${show(actual)}`);
    else expected.forEach((item, index) => subsetMismatches(item, actual[index], `${path}[${index}]`, out));
    return out;
  }
  if (typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) {
      out.push(`${path}: expected an object, got ${show(actual)}`);
      return out;
    }
    for (const [key, value] of Object.entries(expected as Record<string, unknown>)) {
      subsetMismatches(value, (actual as Record<string, unknown>)[key], path ? `${path}.${key}` : key, out);
    }
    return out;
  }
  if (expected !== actual) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
  return out;
}

/** Why the case fails (empty when it passes). */
export function compareCase(expect: CaseExpectation, actual: CaseActual): string[] {
  const failures: string[] = [];
  if (expect.result !== actual.result) {
    const detail = actual.message !== undefined && actual.message !== '' ? ` (${actual.message.split('\n')[0]})` : '';
    failures.push(`expected ${expect.result}, got ${actual.result}${detail}`);
  }
  if (expect.enforced !== undefined && expect.enforced !== actual.enforced) {
    failures.push(expect.enforced ? 'expected the API server to reject the request (enforced: true), but it was let through' : 'expected the request to be let through (enforced: false), but the API server rejects it');
  }
  if (expect.message !== undefined && !(actual.message ?? '').includes(expect.message)) {
    failures.push(`expected a message containing ${JSON.stringify(expect.message)}, got ${actual.message === undefined ? 'no message' : JSON.stringify(actual.message)}`);
  }
  if (expect.warnings !== undefined) {
    const ok = expect.warnings.length === actual.warnings.length && expect.warnings.every((w, i) => (actual.warnings[i] ?? '').includes(w));
    if (!ok) failures.push(`expected warnings ${JSON.stringify(expect.warnings)}, got ${JSON.stringify(actual.warnings)}`);
  }
  if (expect.object !== undefined) {
    const mismatches = subsetMismatches(expect.object, actual.object, 'object');
    if (mismatches.length > 0) failures.push(mismatches.join('; '));
  }
  return failures;
}
