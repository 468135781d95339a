// Retrieval: how often the right skill is in the first k, what it adds to the prompt, and what it
// costs in time — on the labelled intents of tools/skills/recall.ts, over the built starter library.
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { performance } from 'node:perf_hooks';
import { renderForPrompt, retrieve } from '../lib/skills/index.ts';
import type { PolicySkill } from '../lib/skills/types.ts';
import { builtSkills } from '../tools/local/local-jspolicy.ts';
import { LABELLED_INTENTS, recallAtK } from '../tools/skills/recall.ts';
import { median } from './measure.ts';
import { figure, type Section } from './report.ts';

export function benchRetrieval(section: Section): void {
  // The built library has no status: the controller verifies it in the cluster. Every starter
  // skill passed its tests at build time, so all are taken as verified here.
  const skills = (builtSkills() as PolicySkill[]).map((s) => ({ ...s, status: { verified: true } }));
  for (const k of [1, 3, 5]) {
    const report = recallAtK(LABELLED_INTENTS, skills, k);
    section.figures.push(figure(`recall@${k} over ${report.total} labelled intents`, 'share', report.recall, null, { note: report.misses.length ? `missed: ${report.misses.map((m) => m.intent).join('; ').slice(0, 160)}` : 'no misses' }));
  }
  const encoder = new Tiktoken(o200kBase);
  const tokens: number[] = [];
  const times: number[] = [];
  for (const { intent } of LABELLED_INTENTS) {
    const start = performance.now();
    const found = retrieve(intent, skills);
    times.push(performance.now() - start);
    tokens.push(encoder.encode(renderForPrompt(found.skills)).length);
  }
  section.figures.push(
    figure('skills text added to the first prompt, median', 'tokens', median(tokens), null, { note: `max ${Math.max(...tokens)}; budget 1500 estimated (chars/4)` }),
    figure('retrieval time per intent (Node), median', 'ms', median(times), null, { note: `${skills.length} skills, BM25, no model call; once per model call, never on a no-op event` }),
  );
}
