// Each corpus manifest is either sound (`# expect: none`) or carries exactly one
// known flaw (`# expect: <rule-id>`: the set of rule ids found is exactly that one). Sound ones under
// the jspolicy profile may carry warnings (e.g. fetchSync in a Validating policy) but no error. Header comments:
//   # expect: <rule-id>|none   # profile: generated|jspolicy (default generated)   # plan: {json}
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPolicy, type LintOptions, type Plan } from '../../lib/lint/index.ts';
import { BUILTIN_RESOURCES, type ServedResource } from '../../lib/k8s/builtin-resources.ts';
import { corpusDir, yamlDocs } from './helpers.ts';

/** A Config Connector CRD, as a cluster with it installed would serve it. */
const CRD_RESOURCES: ServedResource[] = [
  { group: 'iam.cnrm.cloud.google.com', version: 'v1beta1', kind: 'IAMPolicy', resource: 'iampolicies', namespaced: true, statusSubresource: true },
];

function header(text: string, key: string): string | undefined {
  const m = new RegExp(`^# ${key}: (.*)$`, 'm').exec(text);
  return m ? m[1].trim() : undefined;
}

const files = fs.readdirSync(corpusDir).filter((f) => f.endsWith('.yaml')).sort();

describe('lint corpus', () => {
  it('has sound and flawed manifests', () => {
    expect(files.filter((f) => f.startsWith('sound-')).length).toBeGreaterThanOrEqual(5);
    expect(files.filter((f) => f.startsWith('flaw-')).length).toBeGreaterThanOrEqual(30);
  });

  for (const file of files) {
    it(file, () => {
      const full = path.join(corpusDir, file);
      const text = fs.readFileSync(full, 'utf8');
      const expected = header(text, 'expect');
      expect(expected, 'corpus file needs an "# expect:" header').toBeDefined();
      const planText = header(text, 'plan');
      const options: LintOptions = {
        profile: (header(text, 'profile') as LintOptions['profile']) ?? 'generated',
        resources: [...BUILTIN_RESOURCES, ...CRD_RESOURCES],
        plan: planText ? (JSON.parse(planText) as Plan) : undefined,
      };
      const [doc] = yamlDocs(full);
      const findings = lintPolicy(doc, options);
      const rules = [...new Set(findings.map((f) => f.rule))];
      if (expected === 'none') {
        // sound: no errors; under the strict generated profile, no warnings either
        expect(findings.filter((f) => f.severity === 'error' || options.profile === 'generated')).toEqual([]);
      }
      else expect(rules, JSON.stringify(findings, null, 2)).toEqual([expected]);
      for (const f of findings) {
        expect(f.hint.length).toBeGreaterThan(10);
        expect(f.message.length).toBeGreaterThan(10);
      }
    });
  }
});
