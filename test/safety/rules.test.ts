import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as rules from './corpus/rules.ts';

const LINT = join(import.meta.dirname, '../../lib/lint');

describe("the corpus's expected rule ids", () => {
  it('are ids the linter reports, so a refusal is checked against real rules', () => {
    const source = readdirSync(LINT)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(LINT, f), 'utf8'))
      .join('\n');
    const ids = Object.values(rules).flat();
    for (const id of ids) {
      const pattern = id.endsWith('*') ? `'${id.slice(0, -1)}` : `'${id}'`;
      expect(source.includes(pattern), id).toBe(true);
    }
  });
});
