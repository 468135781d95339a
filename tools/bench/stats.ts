// The bench's arithmetic: per-task figures over k runs, and the summary over the task set.
import type { RunResult } from './run-task.ts';
import type { BenchTask } from './tasks.ts';

export interface TaskReport {
  id: string;
  tags: string[];
  runs: RunResult[];
  /** Runs that passed. */
  passed: number;
  /** Pass^k: every one of the k runs passed. */
  passAll: boolean;
  meanAttempts: number;
  meanTokens: number;
  /** Mean over runs of |expected ∩ top-k retrieved| / |expected|; null = not measurable (no expected skills, or no run listed retrieved skills). */
  recall: number | null;
}

export interface BenchSummary {
  tasks: number;
  /** Runs per task (k). */
  runs: number;
  /** Passing runs / all runs (pass@1, averaged over the k runs). */
  passRate: number;
  /** Tasks whose k runs all passed / tasks (Pass^k). */
  passHatK: number;
  meanAttempts: number;
  meanTokens: number;
  totalTokens: number;
  /** What needed a repair, most frequent first (counted once per attempt). */
  topRepairs: { finding: string; count: number }[];
  /** recall@k over the tasks where it is measurable, or null ("n/a"). */
  recallAtK: number | null;
  recallK: number;
  /** Pass rate per tag. */
  byTag: Record<string, { tasks: number; passRate: number }>;
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

export function recallAt(expected: readonly string[], retrieved: readonly string[] | undefined, k: number): number | null {
  if (expected.length === 0 || retrieved === undefined) return null;
  const top = new Set(retrieved.slice(0, k));
  return expected.filter((s) => top.has(s)).length / expected.length;
}

export function taskReport(task: Pick<BenchTask, 'id' | 'tags' | 'expectedSkills'>, runs: RunResult[], recallK: number): TaskReport {
  const recalls = runs.map((r) => recallAt(task.expectedSkills, r.retrieved, recallK)).filter((r): r is number => r !== null);
  const passed = runs.filter((r) => r.pass).length;
  return {
    id: task.id,
    tags: task.tags,
    runs,
    passed,
    passAll: runs.length > 0 && passed === runs.length,
    meanAttempts: mean(runs.map((r) => r.attempts)),
    meanTokens: mean(runs.map((r) => r.tokens)),
    recall: recalls.length === 0 ? null : mean(recalls),
  };
}

export function summarize(reports: readonly TaskReport[], recallK: number, topN = 5): BenchSummary {
  const runs = reports.flatMap((r) => r.runs);
  const counts = new Map<string, number>();
  for (const run of runs) for (const key of run.repairs) counts.set(key, (counts.get(key) ?? 0) + 1);
  const topRepairs = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, topN)
    .map(([finding, count]) => ({ finding, count }));
  const recalls = reports.map((r) => r.recall).filter((r): r is number => r !== null);
  const byTag: BenchSummary['byTag'] = {};
  for (const tag of [...new Set(reports.flatMap((r) => r.tags))].sort()) {
    const tagged = reports.filter((r) => r.tags.includes(tag));
    const tagRuns = tagged.flatMap((r) => r.runs);
    byTag[tag] = { tasks: tagged.length, passRate: tagRuns.length === 0 ? 0 : tagRuns.filter((r) => r.pass).length / tagRuns.length };
  }
  return {
    tasks: reports.length,
    runs: reports.length === 0 ? 0 : Math.max(...reports.map((r) => r.runs.length)),
    passRate: runs.length === 0 ? 0 : runs.filter((r) => r.pass).length / runs.length,
    passHatK: reports.length === 0 ? 0 : reports.filter((r) => r.passAll).length / reports.length,
    meanAttempts: mean(runs.map((r) => r.attempts)),
    meanTokens: mean(runs.map((r) => r.tokens)),
    totalTokens: runs.reduce((a, r) => a + r.tokens, 0),
    topRepairs,
    recallAtK: recalls.length === 0 ? null : mean(recalls),
    recallK,
    byTag,
  };
}
