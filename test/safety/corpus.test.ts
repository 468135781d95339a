// The escape-and-hang corpus (issue 10). THREAT MODEL: the GPTPolicy description, and through it every
// byte the model answers, is the attacker's. Each case (test/safety/corpus/*.ts) is a full model
// answer the fake model (127.0.0.1) returns, driven through the real built controller bundle in the
// local jsPolicy runtime on V8 9.6, after jsPolicy's webpack step (test/safety/harness.ts); then the
// case's admission requests go through the emitted policy as enforced.
//
// Every case must hold:
//   - the controller keeps its worker: none of its runs hang or kill the engine, and it writes a status;
//   - nothing reached: no write by jsPolicy's service account to a kind that is not gptpolicy's own,
//     no read of a Secret (spied on the cluster every native reaches);
//   - nothing read: the case's secrets appear in no status, policy, event, violation, log, or request
//     the fake model received;
//   - no admission through the emitted policy hangs or crashes;
//   - and its own expectation: refused with a finding of the named rule ids, applied (the benign
//     controls), or held (ended within budget with a status).
//
// CI TIME BUDGET: ≤ 150 s for this file on a 2-core machine with a warm webpack cache. The cases share
// one installation and fake model; a case that makes the controller lose its worker (a hung or crashed
// run) moves the rest to a fresh one. The controller gets timeoutSeconds 5 (time and abort cases 4, and
// their admissions run with timeoutSeconds 1), so a hang
// costs ~10 s of engine time at most. Run it alone with
//   node build.mjs && npx vitest run test/safety/corpus.test.ts
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_CASES } from './corpus/index.ts';
import { controllerLost, Corpus, foreignWrites, namedRules, ruleIdsSeen, secretReads, type CaseRun, type CorpusCase } from './harness.ts';

const started = performance.now();
const timings: string[] = [];
afterAll(() => {
  console.log(`safety corpus: ${ALL_CASES.length} cases in ${Math.round((performance.now() - started) / 1000)} s\n${timings.join('\n')}`);
});

function check(c: CorpusCase, run: CaseRun): void {
  const where = `${c.class}: ${c.name} [defence: ${c.defence}]`;
  expect.soft(controllerLost(run), `${where}: the controller lost its worker`).toEqual([]);
  expect.soft(run.ready, `${where}: the controller wrote no Ready condition`).toBeDefined();
  expect.soft(foreignWrites(run, c.forbiddenWrites), `${where}: writes outside gptpolicy's own kinds`).toEqual([]);
  expect.soft(secretReads(run), `${where}: Secret reads`).toEqual([]);
  for (const secret of c.secrets ?? []) expect.soft(run.visible.includes(secret), `${where}: "${secret}" is visible`).toBe(false);
  for (const [i, a] of run.admissions.entries()) {
    expect.soft(a.unanswered, `${where}: admission ${i} never answered`).toBeUndefined();
    const wanted = c.admissions?.[i]?.expect;
    if (wanted?.allowed !== undefined) expect.soft(a.allowed, `${where}: admission ${i} allowed`).toBe(wanted.allowed);
    if (wanted?.labels) expect.soft(a.object?.metadata?.labels ?? {}, `${where}: admission ${i} labels`).toMatchObject(wanted.labels);
    if (wanted?.notPrivileged) expect.soft(JSON.stringify(a.object ?? {}), `${where}: admission ${i} made privileged`).not.toContain('"privileged":true');
  }
  if (c.previewShows) {
    const examples = JSON.stringify((run.gp?.status?.impact as { examples?: unknown } | undefined)?.examples ?? []);
    expect.soft(examples, `${where}: the impact preview hides what the cluster will do to ${c.previewShows}`).toMatch(new RegExp(`${c.previewShows}[^}]*${c.previewSays ?? 'denied'}`));
  }
  if ('refused' in c.expect) {
    expect.soft(run.policy, `${where}: applied, but should have been refused`).toBeUndefined();
    const seen = ruleIdsSeen(run);
    const named = namedRules(seen, c.expect.refused.rules);
    expect.soft(named, `${where}: refused by none of ${c.expect.refused.rules.join(', ')} (rules seen: ${seen.join(', ') || 'none'}; Ready ${run.ready?.reason}: ${(run.ready?.message ?? '').slice(0, 300)})`).not.toEqual([]);
  } else if ('applied' in c.expect) {
    expect.soft(run.ready?.reason, `${where}: not applied (${(run.ready?.message ?? '').slice(0, 400)})`).toBe('PolicyApplied');
    expect.soft(run.policy, `${where}: no JsPolicy`).toBeDefined();
  }
}

describe('the escape-and-hang corpus', () => {
  const corpus = new Corpus(ALL_CASES);
  afterAll(() => corpus.close());
  for (const [i, c] of ALL_CASES.entries()) {
    it(`${c.class}: ${c.name}`, async () => {
      const run = await corpus.run(i);
      timings.push(`${Math.round(run.ms).toString().padStart(6)} ms  ${c.class}: ${c.name} → ${run.ready?.reason ?? 'no status'}${run.policy ? ' (applied)' : ''}; rules ${ruleIdsSeen(run).join(',') || '-'}${run.policy ? '' : ` — ${(run.ready?.message ?? '').slice(0, 160)}`}`);
      check(c, run);
    }, 60_000);
  }
});
