// The committed validators are what the acceptance schema generates (build.mjs regenerates them;
// this catches a schema edited without a build), and they refuse what the schema refuses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateAnswer } from '../../lib/model/generated/answer-validators.js';
import { denyProdAnswer } from '../fixtures/answers.ts';

const root = new URL('../..', import.meta.url).pathname;

describe('the generated answer validators', () => {
  it('match lib/model/answer-schema.ts', async () => {
    const generator = (await import(`${root}scripts/generate-validators.mjs`)) as { validatorsSource(root: string): Promise<string>; VALIDATORS_FILE: string };
    expect(readFileSync(`${root}${generator.VALIDATORS_FILE}`, 'utf8')).toBe(await generator.validatorsSource(root));
  }, 20_000);

  it('use no eval, Function or require at run time', () => {
    const source = readFileSync(`${root}lib/model/generated/answer-validators.js`, 'utf8');
    expect(source).not.toMatch(/\beval\s*\(|new Function|\bFunction\s*\(|\brequire\s*\(/);
  });

  it('accept a sound answer, drop unknown properties and default helpers to []', () => {
    const answer = { ...denyProdAnswer(), explanation: 'extra' } as Record<string, unknown>;
    expect(validateAnswer(answer)).toBe(true);
    expect(answer).not.toHaveProperty('explanation');
    expect(answer.helpers).toEqual([]);
  });
});
