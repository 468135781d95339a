// gptpolicy skills test | export | import
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { skillsCommand } from '../../tools/cli/skills.ts';
import type { PolicySkill } from '../../lib/skills/types.ts';
import { skillCodeHash } from '../../lib/skills/learn.ts';
import { skillsDir } from './library.ts';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await skillsCommand(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'gptpolicy-skills-'));

describe('skills test', () => {
  test('passes on the starter library, one line per skill', async () => {
    const r = await run(['test']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^(\d+) passed, 0 failed$/);
    expect(lines.filter((l) => l.startsWith('PASS ')).length).toBe(Number(/^(\d+)/.exec(lines.at(-1) as string)?.[1]));
    expect(r.out).toMatch(/^PASS all-containers \(helper, \d+ cases\)$/m);
  });

  test('fails (exit 1) on a library with a broken skill, naming the case', async () => {
    const exported = await run(['export']);
    const docs = parseAllDocuments(exported.out).map((d) => d.toJS() as PolicySkill);
    const svc = docs.find((d) => d.spec.function === 'serviceType') as PolicySkill;
    svc.spec.code = svc.spec.code.replace('"ClusterIP"', '"NodePort"');
    svc.spec.provenance.codeHash = skillCodeHash(svc.spec.code);
    const file = path.join(tmp, 'broken.yaml');
    writeFileSync(file, docs.map((d) => stringify(d)).join('---\n'));
    const r = await run(['test', file]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL service-type \(helper, 3 cases\) › default ClusterIP — expected a message containing/);
    expect(r.out).toMatch(/FAIL example-deny-nodeport-services \(example, 3 tests\) › calls/);
    expect(r.out.trim().split('\n').at(-1)).toMatch(/ passed, 2 failed$/);
  });
});

describe('skills export', () => {
  test('YAML of every skill, without status, valid against its own checks', async () => {
    const r = await run(['export', '--from', skillsDir]);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.out).map((d) => d.toJS() as PolicySkill);
    expect(docs.length).toBeGreaterThanOrEqual(30);
    for (const d of docs) {
      expect(d.kind).toBe('PolicySkill');
      expect(d.status).toBeUndefined();
    }
  });

  test('--jsonl: one chat-format training line per verified example', async () => {
    const r = await run(['export', '--jsonl']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThanOrEqual(10);
    for (const line of lines) {
      const [system, user, assistant] = line.messages;
      expect(system.role).toBe('system');
      expect(user.content).toMatch(/^Intent: /);
      expect(user.content).toContain('Library helpers');
      const call = assistant.tool_calls[0].function;
      expect(call.name).toBe('submit_policy');
      expect(Object.keys(JSON.parse(call.arguments))).toEqual(['plan', 'policy', 'tests']);
      expect(line.tools[0].function.name).toBe('submit_policy');
    }
    expect(r.err).toMatch(/^\d+ examples\n$/);
  });
});

describe('skills import', () => {
  test('the same library: everything is a duplicate', async () => {
    const file = path.join(tmp, 'same.yaml');
    writeFileSync(file, (await run(['export'])).out);
    const r = await run(['import', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^0 to add, (\d+) duplicates, 0 invalid$/m);
    expect(r.out).not.toMatch(/^ADD /m);
  });

  test('new, taken and invalid skills', async () => {
    const code = 'function isWeekday(day) {\n  return day >= 1 && day <= 5;\n}';
    const fresh: PolicySkill = {
      apiVersion: 'gptpolicy.dev/v1alpha1',
      kind: 'PolicySkill',
      metadata: { name: 'is-weekday' },
      spec: {
        function: 'isWeekday',
        kind: 'helper',
        description: 'Whether a day number (0 = Sunday) is a weekday.',
        code,
        calls: [],
        reads: false,
        tests: [
          { name: 'monday', call: 'isWeekday(1)', request: { operation: 'CREATE', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } } }, expect: { result: 'deny', message: 'true' } },
          { name: 'sunday', call: 'isWeekday(0)', request: { operation: 'CREATE', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } } }, expect: { result: 'allow' } },
        ],
        provenance: { source: 'learned', gptPolicy: 'weekdays', approvedBy: 'bob', codeHash: skillCodeHash(code) },
      },
    };
    const takenCode = 'function labelOf(obj, key) {\n  return undefined;\n}';
    const taken = { ...fresh, metadata: { name: 'label-of' }, spec: { ...fresh.spec, function: 'labelOf', code: takenCode, provenance: { ...fresh.spec.provenance, codeHash: skillCodeHash(takenCode) } } };
    const invalid = { ...fresh, metadata: { name: 'IsWeekday' } };
    const file = path.join(tmp, 'incoming.yaml');
    writeFileSync(file, [fresh, taken, invalid].map((d) => stringify(d)).join('---\n'));
    const r = await run(['import', file]);
    expect(r.out).toContain('INVALID IsWeekday — metadata.name must be is-weekday');
    expect(r.out).toContain('SKIP label-of — the function name labelOf is taken by other code');
    expect(r.out).toContain('ADD is-weekday (helper, learned) — verified');
    expect(r.out).toContain('1 to add, 1 duplicates, 1 invalid');
    expect(r.code).toBe(1);
  });
});

test('usage and unknown subcommands', async () => {
  expect((await run([])).code).toBe(2);
  expect((await run(['--help'])).out).toMatch(/gptpolicy skills COMMAND/);
  expect((await run(['frobnicate'])).code).toBe(2);
});
