// One run of a JsPolicy's javascript as jsPolicy's webhook handler and controller execute it
// (pkg/webhook/handler.go runScript + internalHandle's decoding). See ../README.md for fidelity.
import type { PolicyResponse, RunOptions, RunOutcome } from '../contracts.ts';
import { createPolicyContext } from './context.ts';
import { goUnmarshal, type GoType } from './go-json.ts';
import { runUntilHalt } from './halting.ts';
import { policyNatives } from './natives.ts';

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

export function runPolicyScript(options: RunOptions): RunOutcome {
  const started = performance.now();
  const durationMs = () => performance.now() - started;
  const error = (message: string): RunOutcome => ({ kind: 'error', message, durationMs: durationMs() });

  const policy = createPolicyContext(options.now, (context) => policyNatives(options, context));
  const name = options.policyName;
  const code = `var __policy = '${name}'; var request = ${JSON.stringify(options.request)}; ${options.javascript}`;
  const timeoutMs = Math.max(1, Math.round((options.timeoutSeconds ?? 10) * 1000));
  const run = runUntilHalt(code, policy.context, name, timeoutMs);
  if (run.error !== undefined) return error(run.error);

  let text: string;
  try {
    text = String(JSON.stringify(policy.global.__response));
  } catch (err) {
    return error(String(err));
  }
  const decoded = goUnmarshal(text, RESPONSE);
  if ('error' in decoded) return error(decoded.error);
  return { kind: 'completed', response: withoutZeroValues(decoded.value as Required<PolicyResponse>), durationMs: durationMs() };
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
