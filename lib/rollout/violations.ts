import { isPolicyErrorReport, policyErrorOf } from '../policy/guard.ts';

/** One entry of jsPolicy's JsPolicyViolations status (pkg/webhook audit log). */
export interface ViolationEntry {
  action?: string;
  code?: number;
  reason?: string;
  message?: string;
  requestInfo?: { name?: string; namespace?: string; kind?: string; apiVersion?: string; operation?: string };
  timestamp?: string;
}

/** What the GPTPolicy's status shows of them: since when, how many, how many were code errors. */
export interface ViolationSummary {
  since: string;
  observed: number;
  codeErrors: number;
  /** The last few, newest last: "Dry CREATE Pod test/web: pods labelled env=prod are not allowed". */
  recent: string[];
  /** The newest code error, for the model: what threw, on which request. */
  lastCodeError?: string;
}

const RECENT = 3;

const where = (v: ViolationEntry): string => `${v.requestInfo?.operation ?? ''} ${v.requestInfo?.kind ?? ''} ${[v.requestInfo?.namespace, v.requestInfo?.name].filter(Boolean).join('/')}`.trim();

/**
 * The entries logged since the current policy was applied, their messages through `redact` (they are
 * the policy's words about a real object, shown before anyone approved it). jsPolicy keeps only the last 20 (or
 * auditLogSize) entries, so `observed` counts what is still in the log, not all time.
 */
export function summarizeViolations(entries: readonly ViolationEntry[], since: string, redact: (text: string, entry: ViolationEntry) => string): ViolationSummary {
  const current = entries.filter((v) => (v.timestamp ?? '') >= since);
  const errors = current.filter((v) => isPolicyErrorReport(v));
  const last = errors[errors.length - 1];
  return {
    since,
    observed: current.length,
    codeErrors: errors.length,
    recent: current.slice(-RECENT).map((v) => `${v.action ?? ''} ${where(v)}: ${redact(policyErrorOf(v) ?? v.message ?? '', v)}`.slice(0, 300)),
    ...(last ? { lastCodeError: `${redact(policyErrorOf(last) ?? '', last)} (on ${where(last)})` } : {}),
  };
}
