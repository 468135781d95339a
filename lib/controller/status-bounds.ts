import type { GPTPolicyStatus } from '../gptpolicy/types.ts';
import { ANSWER_BOUNDS } from '../model/answer-bounds.ts';
import { clip } from '../util/clip.ts';

/**
 * What a GPTPolicy's status may hold, whatever a model sends (README, "Status bounds"). Every
 * status write of a GPTPolicy goes through boundStatus, so no write can fail for its size or shape:
 * etcd refuses objects over 1.5 MiB, and plan, impact and violations are free-form in the CRD.
 */
export const STATUS_BOUNDS = {
  /** The whole status as JSON, in UTF-8 bytes. */
  bytes: 256 * 1024,
  /** Any string, unless named below. */
  text: 1000,
  /** status.answer and each earlier answer of the conversation (generation.turns[].answer). */
  answer: ANSWER_BOUNDS.answerChars,
  /** Each feedback turn. */
  feedback: 4000,
  /** status.approved.code: the approved candidate, helpers inlined (the review diffs it whole or not at all). */
  approvedCode: ANSWER_BOUNDS.answerChars,
  /** Entries of any list. */
  items: 50,
  /** Levels below status.* (plan.resources[0].group is 3 deep); deeper values are dropped. */
  depth: 5,
} as const;

const B = STATUS_BOUNDS;
const OMITTED = 'omitted to keep the status small';

/**
 * The status cut to its bounds: strings clipped, lists shortened, nesting dropped; then, while its
 * JSON is over STATUS_BOUNDS.bytes, older answers of the conversation are summarized first, then
 * the longest strings halved. Never throws.
 */
export function boundStatus(status: GPTPolicyStatus): GPTPolicyStatus {
  const cut = cutValue(status, [], 0) as GPTPolicyStatus;
  if (jsonBytes(cut) <= B.bytes) return cut;
  // Older answers first: the newest turn is what the model needs most.
  const turns = cut.generation?.turns;
  if (cut.generation && turns && turns.length > 1) {
    cut.generation = {
      ...cut.generation,
      turns: turns.map((t, i) => (i < turns.length - 1 && t.answer.length > 200 ? { ...t, answer: `(the answer of attempt ${i + 1}, ${t.answer.length} characters, ${OMITTED})` } : t)),
    };
  }
  for (let round = 0; round < 64 && jsonBytes(cut) > B.bytes; round++) halveLongest(cut);
  if (jsonBytes(cut) > B.bytes) {
    // Unreachable with the bounds above; the status must fit whatever happens.
    delete cut.answer;
    if (cut.generation) cut.generation = { ...cut.generation, turns: [] };
  }
  return cut;
}

function limitFor(path: readonly string[]): number {
  const key = path.join('.');
  if (key === 'answer' || key === 'generation.turns.answer') return B.answer;
  if (key === 'generation.turns.feedback') return B.feedback;
  if (key === 'approved.code') return B.approvedCode;
  return B.text;
}

// `path` holds object keys only (list indexes left out): generation.turns.answer.
function cutValue(value: unknown, path: string[], depth: number): unknown {
  if (typeof value === 'string') return clip(value, limitFor(path));
  if (value === null || typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? undefined : value;
  if (depth > B.depth) return undefined;
  if (Array.isArray(value)) return value.slice(-B.items).map((v) => cutValue(v, path, depth + 1)).filter((v) => v !== undefined);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const kept = cutValue(v, [...path, key], depth + 1);
    if (kept !== undefined) out[clip(key, 253)] = kept;
  }
  return out;
}

// The string costing most bytes, cut in half (strings only sit in objects and arrays the walk reaches).
function halveLongest(root: object): void {
  let best: { holder: Record<string | number, unknown>; key: string | number; bytes: number } | undefined;
  const visit = (holder: Record<string | number, unknown>, depth: number): void => {
    if (depth > B.depth + 2) return;
    for (const key of Object.keys(holder)) {
      const v = holder[key];
      if (typeof v === 'string') {
        const bytes = jsonBytes(v);
        if (!best || bytes > best.bytes) best = { holder, key, bytes };
      } else if (v !== null && typeof v === 'object') visit(v as Record<string, unknown>, depth + 1);
    }
  };
  visit(root as Record<string, unknown>, 0);
  if (best && best.bytes > 16) {
    const text = best.holder[best.key] as string;
    best.holder[best.key] = `${text.slice(0, Math.floor(text.length / 2))}… (${OMITTED})`;
  }
}

/** UTF-8 bytes of a value's JSON, as the API server receives it. */
export function jsonBytes(value: unknown): number {
  const json = JSON.stringify(value) ?? '';
  let bytes = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < json.length && (json.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
