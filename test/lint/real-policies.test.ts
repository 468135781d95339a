// jsPolicy's own example policies (../shared/real-policies) under the fair `jspolicy` profile.
// Errors are expected only where the policy really is broken on jsPolicy; each is explained below.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPolicy, type Finding } from '../../lib/lint/index.ts';
import { BUILTIN_RESOURCES } from '../../lib/k8s/builtin-resources.ts';
import { realPoliciesDir, yamlDocs, yamlFiles } from './helpers.ts';

interface Linted {
  file: string;
  name: string;
  findings: Finding[];
}

// The corpus lives beside the repository (the workplace's shared/, where CI has it); a clone
// without it skips these, and says so.
const present = existsSync(realPoliciesDir);
if (!present) console.warn(`${realPoliciesDir} is not there: the real-policies lint tests are skipped`);
const linted: Linted[] = [];
for (const file of present ? yamlFiles(realPoliciesDir) : []) {
  for (const doc of yamlDocs(file)) {
    const o = doc as { kind?: string; metadata?: { name?: string } } | null;
    if (o?.kind !== 'JsPolicy') continue;
    linted.push({
      file: path.relative(realPoliciesDir, file),
      name: o.metadata?.name ?? '',
      findings: lintPolicy(o, { profile: 'jspolicy', resources: BUILTIN_RESOURCES }),
    });
  }
}
const byFile = (f: string): Linted => {
  const l = linted.find((x) => x.file === f);
  if (!l) throw new Error(`no JsPolicy in ${f}`);
  return l;
};
const errorsOf = (l: Linted): Finding[] => l.findings.filter((f) => f.severity === 'error');

/** Real bugs, by file → rule ids of the errors. */
const EXPECTED_ERRORS: Record<string, string[]> = {
  // `errors.push(…)`: `errors` is never declared → ReferenceError as soon as an init container is disallowed.
  'library/general/allowedrepos/policy.yaml': ['undeclared-name'],
  // metadata.name has upper-case letters: jsPolicy's webhook rejects the object (not a DNS-1123 subdomain).
  'examples/by-use-case/Add-PSA-Labels-To-Namespace.yaml': ['jspolicy-schema'],
  // list() returns undefined (not []) when nothing matches (vm.go ListResponse `list,omitempty`):
  // `pods.length` throws in a namespace without pods.
  'examples/by-feature/list.yaml': ['list-maybe-undefined'],
  // same: `pods.length + 1` in a namespace without pods.
  'examples/by-feature/update.yaml': ['list-maybe-undefined'],
  // `list("Pod","v1").filter(…)`: throws only in a cluster without any pod (practically never).
  'examples/by-use-case/restrict-pods-amount-per-node.yaml': ['list-maybe-undefined'],
  // `list("Secret", …, {labelSelector}).forEach`: throws whenever a synced secret has no children yet.
  'examples/by-use-case/sync-secrets.yaml': ['list-maybe-undefined'],
  // `list("Ingress", …).forEach`: the first Ingress of a cluster is rejected.
  'examples/by-use-case/unique-ingress-host.yaml': ['list-maybe-undefined'],
  // `list("Pod", …, {namespace}).forEach`: the first pod of a namespace is rejected.
  'examples/by-use-case/unique-pod-labels.yaml': ['list-maybe-undefined'],
};

describe.skipIf(!present)('real jsPolicy policies (jspolicy profile)', () => {
  it('finds all of them', () => {
    expect(linted.length).toBeGreaterThanOrEqual(40);
  });

  it('allowedrepos: error for reading undeclared `errors`, warning for assigning undeclared `podSpec`', () => {
    const l = byFile('library/general/allowedrepos/policy.yaml');
    const undeclared = l.findings.filter((f) => f.rule === 'undeclared-name');
    expect(undeclared).toHaveLength(2);
    const errorsRead = undeclared.find((f) => f.message.includes('`errors`'));
    expect(errorsRead).toMatchObject({ severity: 'error', line: 15, column: 9 });
    const podSpecWrite = undeclared.find((f) => f.message.includes('`podSpec`'));
    expect(podSpecWrite).toMatchObject({ severity: 'warning', line: 4, column: 1 });
    // reads of podSpec after the sloppy-mode assignment work at run time: not reported separately
    expect(undeclared.every((f) => !f.message.includes('used but never declared') || f.message.includes('errors'))).toBe(true);
  });

  it('a Validating policy calling fetchSync gets a warning, not an error', () => {
    const l = byFile('examples/by-feature/fetch.yaml');
    expect(errorsOf(l)).toEqual([]);
    expect(l.findings.find((f) => f.rule === 'forbidden-call')).toMatchObject({ severity: 'warning' });
  });

  it('the deliberate endless loop is a warning', () => {
    const l = byFile('examples/by-feature/timeout.yaml');
    expect(errorsOf(l)).toEqual([]);
    expect(l.findings.map((f) => f.rule)).toContain('unbounded-loop');
  });

  it('import of npm dependencies parses (webpack ES module) and is only a warning', () => {
    const l = byFile('examples/by-feature/dependencies.yaml');
    expect(errorsOf(l)).toEqual([]);
    expect(l.findings.map((f) => f.rule)).toContain('forbidden-construct');
  });

  it('errors only where the policy is really broken', () => {
    const actual: Record<string, string[]> = {};
    for (const l of linted) {
      const rules = [...new Set(errorsOf(l).map((f) => f.rule))];
      if (rules.length > 0) actual[l.file] = rules;
    }
    expect(actual).toEqual(EXPECTED_ERRORS);
  });
});
