// The README's "Status reasons" table lists every reason a run can end with, and nothing else.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { READY_REASONS } from '../../lib/controller/status.ts';

describe("the README's status reasons", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Status reasons'), readme.indexOf('\n## ', readme.indexOf('### Status reasons')));
  const listed = [...section.matchAll(/^\| (.+?) \| /gm)].flatMap((m) => [...(m[1] ?? '').matchAll(/`(\w+)`/g)].map((r) => r[1]));

  it('lists every Ready reason the controller can write', () => {
    expect(new Set(listed)).toEqual(new Set(READY_REASONS));
  });
});
