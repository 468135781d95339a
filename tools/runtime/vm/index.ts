// One run of a JsPolicy's javascript as jsPolicy's webhook handler and controller execute it
// (pkg/webhook/handler.go runScript + internalHandle's decoding), on the policy engine
// (engine/index.ts: V8 9.6 in a child process, or this process's V8). See ../README.md for fidelity.
import type { PolicyResponse, RunOptions, RunOutcome } from '../contracts.ts';
import { policyEngine } from '../engine/index.ts';
import type { RunRequest } from '../engine/protocol.ts';
import { goUnmarshal, type GoType } from './go-json.ts';
import { hostNatives } from './natives.ts';

// handler.go Response.
const RESPONSE: GoType = {
  kind: 'struct',
  name: 'Response',
  pkg: 'webhook',
  fields: {
    deny: { kind: 'bool' },
    reason: { kind: 'string' },
    message: { kind: 'string' },
    code: { kind: 'int' },
    patched: { kind: 'map', name: 'map[string]interface {}', elem: { kind: 'any' } },
    warnings: { kind: 'slice', name: '[]string', elem: { kind: 'string' } },
    reschedule: { kind: 'bool' },
  },
};

/**
 * How long an engine may hold a run past its timeout before the run counts as one that never
 * returns: as long again, at least 1 s (a busy machine may be slow to schedule the engine). jsPolicy
 * has no such watchdog: there the run and its VM are lost for good.
 */
const watchdogBudget = (timeoutMs: number): number => timeoutMs + Math.max(1000, timeoutMs);

export function runPolicyScript(options: RunOptions): RunOutcome {
  const started = performance.now();
  const durationMs = () => performance.now() - started;
  const name = options.policyName;
  const timeoutMs = Math.max(1, Math.round((options.timeoutSeconds ?? 10) * 1000));
  const request: RunRequest = {
    policyName: name,
    code: `var __policy = '${name}'; var request = ${JSON.stringify(options.request)}; ${options.javascript}`,
    timeoutMs,
    env: options.access?.env ?? {},
    files: options.access?.files ?? {},
    virtualClock: options.now !== undefined,
  };
  const natives = hostNatives(options);
  const engine = policyEngine();
  const reply = engine.run(request, watchdogBudget(timeoutMs), {
    native: (native, args, origin) => natives[native as keyof typeof natives](args, origin),
    now: () => options.now!(),
  });
  if (reply === 'exhausted') {
    return { kind: 'hang', message: `no VM free: every VM of jsPolicy's pool is busy with a run this one waits for`, durationMs: durationMs(), v8: '' };
  }
  if ('lost' in reply) {
    const message = reply.lost === 'hang' ? `script ${name} never returned: ${reply.detail}` : `jsPolicy's process died running ${name}: ${reply.detail}`;
    return { kind: reply.lost, message, durationMs: durationMs(), v8: '' };
  }
  const v8 = reply.v8;
  const engineMs = { context: reply.contextMs, script: reply.scriptMs };
  if (reply.error !== undefined) return { kind: 'error', message: reply.error, durationMs: durationMs(), v8, engineMs };
  const decoded = goUnmarshal(reply.response!, RESPONSE);
  if ('error' in decoded) return { kind: 'error', message: decoded.error, durationMs: durationMs(), v8, engineMs };
  return { kind: 'completed', response: withoutZeroValues(decoded.value as Required<PolicyResponse>), durationMs: durationMs(), v8, engineMs };
}

// Go's zero values mean "not set"; patched is kept whenever it is a map (even {}), as handler.go
// tests `r.Patched != nil`.
function withoutZeroValues(r: Required<PolicyResponse>): PolicyResponse {
  return {
    ...(r.deny && { deny: true }),
    ...(r.reason && { reason: r.reason }),
    ...(r.message && { message: r.message }),
    ...(r.code && { code: r.code }),
    ...(r.patched && { patched: r.patched }),
    ...(r.warnings?.length && { warnings: r.warnings }),
    ...(r.reschedule && { reschedule: true }),
  };
}
