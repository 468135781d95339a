// Several controller policies on one cluster: one's writes are another's events, so each runs until it
// settles, in turn, as long as one of them still had work.
import type { ControllerLoop, ControllerStats, SettleOptions } from './loop.ts';

/**
 * Settles every loop `loops()` answers (asked again each round: the set may change as controllers
 * install others), at most `maxRuns` runs in all; settled when none has anything queued or waiting.
 */
export function settleAll(loops: () => readonly ControllerLoop[], options: SettleOptions, maxRuns: number): ControllerStats {
  const total: ControllerStats = { runs: 0, requeues: 0, errors: [], denials: [], settled: false };
  for (let worked = true; worked && total.runs < maxRuns; ) {
    worked = false;
    for (const loop of loops()) {
      const stats = loop.runUntilSettled({ ...options, maxRuns: maxRuns - total.runs });
      worked ||= stats.runs > 0;
      total.runs += stats.runs;
      total.requeues += stats.requeues;
      total.errors.push(...stats.errors);
      total.denials.push(...stats.denials);
      if (stats.v8) total.v8 = stats.v8;
      if (total.runs >= maxRuns) break;
    }
  }
  total.settled = loops().every((loop) => loop.stats().settled);
  return total;
}
