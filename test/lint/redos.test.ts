// regex-redos: redos-detector's verdicts on known-catastrophic and common policy patterns, in this
// Node and in jsPolicy's V8 9.6 (the toolkit runs the linter there), and the rule's findings.
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES } from '../../lib/k8s/builtin-resources.ts';
import { lintPolicy, type LintOptions } from '../../lib/lint/index.ts';
import { checkRegex, LINEAR_LIBRARY_PATTERNS, REGEX_MAX_LENGTH, REGEX_MAX_LITERALS } from '../../lib/lint/regex.ts';
import { runPolicyScript } from '../../tools/runtime/vm/index.ts';
import { repoFile } from '../../tools/local/paths.ts';
import { JSPOLICY_V8 } from '../fixtures/engine.ts';

const BAD: RegExp[] = [/(a+)+$/, /(a|a)*$/, /(\w+\s?)*$/, /^(a|aa)+$/, /^(\d+)*$/, /(.*a){12}/, /^(([a-z])+.)+[A-Z]([a-z])+$/, /\s*#?\s*$/];
const GOOD: RegExp[] = [
  // DNS label and subdomain (RFC 1123)
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
  // semver core, image tag and digest, registry prefix
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/,
  /:latest$/,
  /^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/,
  /^registry\.example\.com\//,
  /^[^:]+:[^:]+$/,
  /^.*\.example\.com$/,
  /^(prod|staging)$/i,
  /^\d+(m|Mi|Gi)?$/,
];
/**
 * redos-detector is conservative: it refuses some patterns V8 runs in linear time when anchored (the
 * brief's /^([a-z0-9]+\.)*[a-z]+$/ among them). The hint says how to write them instead.
 */
const REFUSED_THOUGH_LINEAR: RegExp[] = [/^([a-z0-9]+\.)*[a-z]+$/, /^(.*)\/(.*)$/];

describe('checkRegex (redos-detector within a fixed step budget)', () => {
  it.each(BAD.map((r) => [String(r), r] as const))('refuses %s', { timeout: 20_000 }, (_s, r) => {
    const verdict = checkRegex(r.source, r.flags);
    expect(verdict.safe).toBe(false);
    expect(verdict.safe === false && verdict.why).toMatch(/can match the same characters|more than one way|prove safe/);
  });

  it.each(GOOD.map((r) => [String(r), r] as const))('accepts %s', { timeout: 20_000 }, (_s, r) => {
    expect(checkRegex(r.source, r.flags)).toEqual({ safe: true });
  });

  it.each(REFUSED_THOUGH_LINEAR.map((r) => [String(r), r] as const))('refuses %s (a false positive the hint covers)', { timeout: 20_000 }, (_s, r) => {
    expect(checkRegex(r.source, r.flags).safe).toBe(false);
  });

  it('refuses a pattern too long to check', () => {
    expect(checkRegex('a'.repeat(REGEX_MAX_LENGTH + 1), '')).toMatchObject({ safe: false, why: expect.stringContaining('characters long') });
  });
});

describe('the regex-redos rule', () => {
  const gen: LintOptions = { profile: 'generated', resources: BUILTIN_RESOURCES };
  const policy = (javascript: string): unknown => ({
    apiVersion: 'policy.jspolicy.com/v1beta1',
    kind: 'JsPolicy',
    metadata: { name: 'test.policies.example.com' },
    spec: { type: 'Validating', operations: ['CREATE'], resources: ['pods'], apiGroups: [''], javascript },
  });
  const redos = (javascript: string, options = gen) => lintPolicy(policy(javascript), options).filter((f) => f.rule === 'regex-redos');

  it('finds a catastrophic literal, where it is, with what to write instead', { timeout: 20_000 }, () => {
    const [f, ...rest] = redos(`var name = request.name || '';\nif (/^(a+)+$/.test(name)) deny('no');`);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', line: 2, column: 5 });
    expect(f?.message).toContain('/^(a+)+$/');
    expect(f?.hint).toContain('split(');
    expect(f?.hint).toContain('length');
  });

  it('accepts safe literals, and is a warning for hand-written policies', { timeout: 20_000 }, () => {
    expect(redos(`if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(request.name || '')) deny('bad name');`)).toEqual([]);
    expect(redos(`/(a|a)*$/.test('x');`, { profile: 'jspolicy', resources: BUILTIN_RESOURCES })[0]?.severity).toBe('warning');
  });

  it('judges each distinct pattern once, and checks no more than the cap', { timeout: 60_000 }, () => {
    expect(redos(`/(a+)+$/.test('a'); /(a+)+$/.test('b');`)).toHaveLength(2);
    const many = Array.from({ length: REGEX_MAX_LITERALS + 2 }, (_, i) => `/^x${i}$/.test('a');`).join('\n');
    const found = redos(many);
    expect(found).toHaveLength(2);
    expect(found[0]?.message).toContain(`more than ${REGEX_MAX_LITERALS}`);
  });
});

describe('on jsPolicy’s V8 9.6', () => {
  it('gives the same verdicts inside the engine, within the run timeout', { timeout: 120_000 }, async () => {
    const table = [...BAD, ...GOOD].map((r) => [r.source, r.flags]);
    const bundled = await esbuild.build({
      stdin: {
        contents: `import { checkRegex } from './lib/lint/regex.ts';\nvar table = ${JSON.stringify(table)};\nvar out = [];\nfor (var i = 0; i < table.length; i++) out.push(checkRegex(table[i][0], table[i][1]).safe);\ndeny(JSON.stringify(out));`,
        resolveDir: repoFile('.'),
        loader: 'ts',
      },
      bundle: true,
      format: 'iife',
      platform: 'neutral',
      target: 'es2020',
      mainFields: ['module', 'main'],
      write: false,
      logLevel: 'error',
    });
    const outcome = runPolicyScript({ policyName: 'redos.test.com', javascript: bundled.outputFiles[0]!.text, request: { operation: 'CREATE' }, timeoutSeconds: 60 });
    expect(outcome).toMatchObject({ kind: 'completed', v8: JSPOLICY_V8 });
    const verdicts = JSON.parse((outcome as { response: { message: string } }).response.message) as boolean[];
    expect(verdicts).toEqual([...BAD.map(() => false), ...GOOD.map(() => true)]);
  });

  it('runs the library patterns the checker cannot prove in linear time: 100 000-character inputs in well under a second', { timeout: 60_000 }, () => {
    const n = 50_000;
    const inputs = ['a_'.repeat(n) + '!', 'a-'.repeat(n) + '!', 'a'.repeat(2 * n) + '!', 'a.'.repeat(n) + '/!', 'a' + '-'.repeat(2 * n) + '!', 'a__'.repeat(n / 2) + '!', '1'.repeat(2 * n) + '!', '1.'.repeat(n) + '!', '1' + 'e'.repeat(n) + '!', 'a/'.repeat(n) + '!', 'a/a@b:' + '0'.repeat(n) + '!'];
    const javascript = `var patterns = ${JSON.stringify(LINEAR_LIBRARY_PATTERNS)}, inputs = ${JSON.stringify(inputs)};
for (var i = 0; i < patterns.length; i++) { var re = new RegExp(patterns[i]); for (var j = 0; j < inputs.length; j++) re.exec(inputs[j]); }
var quadratic = /^([+-]?)([0-9]*)(?:\\.([0-9]*))?([eEinumkKMGTP]*[+-]?[0-9]*)$/;
var started = Date.now(); quadratic.exec('1'.repeat(20000) + '!'); deny(String(Date.now() - started));`;
    const started = performance.now();
    const outcome = runPolicyScript({ policyName: 'redos-linear.test.com', javascript, request: { operation: 'CREATE' }, timeoutSeconds: 30 });
    expect(outcome).toMatchObject({ kind: 'completed', v8: JSPOLICY_V8 });
    // The quantity pattern before it was rewritten: 20 000 digits already cost it measurable time.
    expect(Number((outcome as { response: { message: string } }).response.message)).toBeGreaterThan(10);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('the library patterns the rule accepts without a proof', () => {
  const library = readdirSync(repoFile('skills/helpers'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.cases.ts'))
    .map((f) => readFileSync(repoFile(`skills/helpers/${f}`), 'utf8'))
    .join('\n');

  it.each(LINEAR_LIBRARY_PATTERNS.map((p) => [p.slice(0, 40), p] as const))('%s… is a starter helper’s, and the checker cannot prove it', { timeout: 20_000 }, (_s, pattern) => {
    expect(library).toContain(`/${pattern}/`);
    expect(checkRegex(pattern, '').safe).toBe(false);
  });
});
