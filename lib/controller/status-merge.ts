import { canonicalJson } from '../util/sha256.ts';

type Status = Record<string, unknown>;

const isStatus = (v: unknown): v is Status => v !== null && typeof v === 'object' && !Array.isArray(v);
const specHashOf = (s: Status | undefined): unknown => (isStatus(s?.rollout) ? (s.rollout as Status).specHash : undefined);

/** Fields that describe one applied policy (its hash): a change to them is void once another is applied. */
const ABOUT_THE_APPLIED_POLICY = ['rollout', 'violations'];

/**
 * Two controllers write a GPTPolicy's status: the generation controller (everything about the
 * intent and the answer, after calls that take seconds) and the bookkeeping controller (the stage
 * and the violations of the applied policy). Each owns the fields it changes: after a conflict, the
 * fields this writer changed (`desired` against the `base` it read) are laid onto the `fresh`
 * status, and the other writer's changes stay. A change to the stage or the violations is about
 * the policy the writer saw: when another policy was applied meanwhile (a new rollout.specHash),
 * the write is void and undefined comes back. Top-level fields only: no field is written by both.
 */
export function mergeOnConflict(base: unknown, desired: unknown, fresh: unknown): unknown {
  if (!isStatus(desired)) return desired;
  const before = isStatus(base) ? base : {};
  const out: Status = isStatus(fresh) ? { ...fresh } : {};
  const changed = [...new Set([...Object.keys(desired), ...Object.keys(before)])].filter((key) => canonicalJson(desired[key]) !== canonicalJson(before[key]));
  const aboutApplied = changed.some((key) => ABOUT_THE_APPLIED_POLICY.indexOf(key) >= 0);
  const reapplied = specHashOf(isStatus(fresh) ? fresh : undefined) !== specHashOf(before);
  if (aboutApplied && reapplied && specHashOf(desired) === specHashOf(before)) return undefined;
  for (const key of changed) {
    if (desired[key] === undefined) delete out[key];
    else out[key] = desired[key];
  }
  return out;
}
