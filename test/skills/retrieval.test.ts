// Retrieval: the right skills reach the prompt, unrelated ones do not, within the token budget.
import { describe, expect, test } from 'vitest';
import { renderForPrompt } from '../../lib/skills/render.ts';
import { rank, retrieve } from '../../lib/skills/retrieve.ts';
import { estimateTokens } from '../../lib/skills/text.ts';
import { LABELLED_INTENTS, recallAtK } from '../../tools/skills/recall.ts';
import { starterLibrary } from './library.ts';

const skills = await starterLibrary();
const names = (list: { spec: { function: string } }[]) => list.map((s) => s.spec.function);

test('the labelled set is large enough to mean something', () => {
  expect(LABELLED_INTENTS.length).toBeGreaterThanOrEqual(12);
  const known = new Set(names(skills));
  for (const item of LABELLED_INTENTS) for (const n of [...item.expected, ...item.unrelated]) expect(known.has(n), n).toBe(true);
});

test('recall@k on the labelled intents', () => {
  const r1 = recallAtK(LABELLED_INTENTS, skills, 1);
  const r3 = recallAtK(LABELLED_INTENTS, skills, 3);
  const r5 = recallAtK(LABELLED_INTENTS, skills, 5);
  console.log(`recall@1 ${r1.recall.toFixed(2)}, recall@3 ${r3.recall.toFixed(2)}, recall@5 ${r5.recall.toFixed(2)} over ${r5.total} intents`);
  expect(r1.recall).toBeGreaterThanOrEqual(0.75);
  expect(r3.recall).toBeGreaterThanOrEqual(0.9);
  expect(r5.recall).toBe(1);
});

describe('the prompt for each labelled intent holds an expected skill and no unrelated one', () => {
  test.each(LABELLED_INTENTS.map((l) => [l.intent, l] as const))('%s', (_intent, item) => {
    const got = names(retrieve(item.intent, skills).skills);
    expect(item.expected.some((n) => got.includes(n)), `got ${got.join(', ')}`).toBe(true);
    for (const n of item.unrelated) expect(got, n).not.toContain(n);
  });
});

test('the token budget holds, and tokens is the estimate of the rendered text', () => {
  for (const budget of [120, 400, 800, 1500]) {
    for (const { intent } of LABELLED_INTENTS) {
      const r = retrieve(intent, skills, { tokenBudget: budget });
      expect(r.tokens).toBeLessThanOrEqual(budget);
      expect(r.tokens).toBe(estimateTokens(renderForPrompt(r.skills)));
      expect(r.scores).toHaveLength(r.skills.length);
    }
  }
  // A budget too small for anything: nothing, not an overflow.
  expect(retrieve('Deny privileged containers', skills, { tokenBudget: 5 }).skills).toEqual([]);
});

test('k bounds the ranked skills; the helpers they call come on top, by signature', () => {
  const r = retrieve('Deny pods whose images use the latest tag', skills, { k: 1 });
  expect(r.scores[0]).toBeGreaterThan(0);
  const ranked = r.scores.filter((s) => s > 0).length;
  expect(ranked).toBe(1);
  const first = r.skills[0];
  for (const callee of first?.spec.calls ?? []) expect(names(r.skills)).toContain(callee);
  const text = renderForPrompt(r.skills);
  expect(text).toContain('usesLatestTag(image: string): boolean — Whether a container image floats on "latest"');
  expect(retrieve('Deny pods whose images use the latest tag', skills, { k: 1, withCalls: false }).skills).toHaveLength(1);
});

test('unverified skills are never candidates', () => {
  const target = skills.find((s) => s.spec.function === 'hostPortsUsed');
  const unverified = skills.map((s) => (s === target ? { ...s, status: { verified: false, failingCase: 'x' } } : s));
  const noStatus = skills.map((s) => (s === target ? { ...s, status: undefined } : s));
  for (const lib of [unverified, noStatus]) {
    expect(names(retrieve('Deny pods that bind a hostPort', lib).skills)).not.toContain('hostPortsUsed');
    expect(names(rank('Deny pods that bind a hostPort', lib).map((r) => r.skill))).not.toContain('hostPortsUsed');
  }
});

test('an intent that matches nothing retrieves nothing', () => {
  expect(retrieve('zzz qqq', skills).skills).toEqual([]);
  expect(retrieve('', skills).tokens).toBe(0);
});


describe('what the larger library costs the prompt', () => {
  const byName = (name: string) => skills.find((s) => s.spec.function === name)!;

  test('a helper only other listed helpers call is named, not described', () => {
    const text = renderForPrompt([byName('imageFromAllowedRegistry'), byName('parseImage')]);
    expect(text).toContain(`- imageFromAllowedRegistry(`);
    expect(text).toMatch(/^Also library helpers, used by those \(never define them\): parseImage$/m);
    expect(text).not.toContain(byName('parseImage').spec.description);
  });

  test('a helper an example calls keeps its description', () => {
    const example = skills.find((s) => s.spec.kind === 'example' && (s.spec.calls ?? []).includes('withoutExempt'))!;
    const text = renderForPrompt([example, byName('withoutExempt'), byName('imageFromAllowedRegistry')]);
    expect(text).toContain(`— ${byName('withoutExempt').spec.description}`);
    expect(text).toMatch(/^Also library helpers, used by those \(never define them\): imageFromAllowedRegistry$/m);
  });

  test('a second example joins only when it scores at least half the best', () => {
    const intent = 'Deny privileged containers and host namespaces';
    const examples = (ratio: number) => retrieve(intent, skills, { minExtraExampleRatio: ratio }).skills.filter((s) => s.spec.kind === 'example');
    expect(examples(0).length).toBeGreaterThan(examples(1).length);
    expect(examples(1)).toHaveLength(1);
  });
});
