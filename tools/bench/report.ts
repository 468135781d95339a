// The bench's output: a per-task table and a summary as text, the same figures as JSON.
import type { BenchSummary, TaskReport } from './stats.ts';

export interface BenchMeta {
  version: string;
  /** OPENAI_MODEL / --model, or "scripted:<mode>". */
  model: string;
  /** OPENAI_BASE_URL, or the scripted model. */
  endpoint: string;
  /** PolicySkills installed (the library retrieval draws from). */
  skills: number;
  startedAt: string;
  durationMs: number;
}

export interface BenchJson {
  meta: BenchMeta;
  summary: BenchSummary;
  tasks: TaskReport[];
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const num = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

export function renderText(json: BenchJson): string {
  const { meta, summary, tasks } = json;
  const k = summary.runs;
  const rows = [['task', 'pass', `pass^${k}`, 'attempts', 'tokens', `recall@${summary.recallK}`, 'repairs / why it failed']];
  for (const t of tasks) {
    const repairs = [...new Set(t.runs.flatMap((r) => r.repairs))].join(', ');
    const why = t.runs.find((r) => !r.pass)?.reason ?? '';
    rows.push([t.id, `${t.passed}/${t.runs.length}`, t.passAll ? 'yes' : 'no', num(t.meanAttempts), num(Math.round(t.meanTokens)), t.recall === null ? 'n/a' : pct(t.recall), [repairs, why].filter(Boolean).join(' | ').slice(0, 140)]);
  }
  const lines = [
    `gptpolicy bench ${meta.version} — model ${meta.model} at ${meta.endpoint}, ${meta.skills} skills, ${summary.tasks} tasks × ${k} run${k === 1 ? '' : 's'}, ${(meta.durationMs / 1000).toFixed(1)} s`,
    '',
    table(rows),
    '',
    `pass rate        ${pct(summary.passRate)} of ${summary.tasks * k} runs`,
    `Pass^${k}${' '.repeat(Math.max(1, 12 - String(k).length))}${pct(summary.passHatK)} of ${summary.tasks} tasks (all ${k} runs pass)`,
    `attempts         ${summary.meanAttempts.toFixed(2)} model calls per run (mean)`,
    `tokens           ${Math.round(summary.meanTokens)} per run (mean), ${summary.totalTokens} in all`,
    `recall@${summary.recallK}         ${summary.recallAtK === null ? 'n/a (the status lists no retrieved skills, or no task expects one)' : pct(summary.recallAtK)}`,
    `repairs          ${summary.topRepairs.length === 0 ? 'none' : summary.topRepairs.map((r) => `${r.finding} ×${r.count}`).join(', ')}`,
    `by tag           ${Object.entries(summary.byTag)
      .map(([tag, v]) => `${tag} ${pct(v.passRate)} (${v.tasks})`)
      .join(', ')}`,
  ];
  return `${lines.join('\n')}\n`;
}
