// One admission request through one Validating/Mutating JsPolicy: the webhook match, the run, jsPolicy's
// mapping of __response to an admission response (handler.go:97-132), violationPolicy and the audit log
// (webhook.go:118-156).
import type { AdmissionRequest, JsPolicy, KubeObject } from '../../../lib/k8s/types.ts';
import type { Cluster, HostAccess, PolicyResponse, RunOutcome } from '../contracts.ts';
import { runPolicyScript } from '../vm/index.ts';
import { buildViolation, recordViolation } from './audit.ts';
import type { ViolationAction } from './audit.ts';
import { applyJsonPatch, createJsonPatch } from './json-patch.ts';
import { matchesWebhook } from '../../../lib/policy/webhook-match.ts';
import { clusterNamespaceLabels } from './namespace-labels.ts';
import { toWireRequest } from './request.ts';
import { resolvePolicyScript } from './script.ts';
import type { AdmissionOutcome } from './types.ts';

export interface AdmitOptions {
  /** get()/list()/create() target, Namespace labels for namespaceSelector, JsPolicyBundle source, audit log sink. */
  cluster?: Cluster;
  access?: HostAccess;
  log?: (line: string) => void;
  /** Virtual clock (ms since the epoch) for Date inside the run and audit timestamps. */
  now?: () => number;
  /** base64(gzip(js)) to run instead of spec.javascript / the stored JsPolicyBundle. */
  bundle?: string;
  /** Sees the run's outcome (the bench reads the time measured inside the engine). */
  onRun?: (outcome: RunOutcome) => void;
}

interface JsPolicyAnswer {
  allowed: boolean;
  code?: number;
  reason?: string;
  message?: string;
  warnings: string[];
  patch?: AdmissionOutcome['patch'];
  patchedObject?: KubeObject;
  error?: string;
}

/** admission.Errored(500, err): no reason, warnings dropped. */
function errored(message: string): JsPolicyAnswer {
  return { allowed: false, code: 500, message, warnings: [], error: message };
}

function answerFor(policy: JsPolicy, request: AdmissionRequest, response: PolicyResponse): JsPolicyAnswer {
  const name = policy.metadata?.name ?? '';
  const warnings = (response.warnings ?? []).map((warning) => `[${name}]: ${warning}`);
  if (response.deny) {
    return {
      allowed: false,
      code: response.code && response.code > 0 ? response.code : 403,
      reason: response.reason || 'Forbidden',
      message: response.message ?? '',
      warnings,
    };
  }
  if (response.patched && policy.spec?.type === 'Mutating') {
    const patch = createJsonPatch(request.object, response.patched);
    if (patch.length > 0) {
      try {
        return { allowed: true, warnings, patch, patchedObject: applyJsonPatch<KubeObject>(request.object, patch) };
      } catch (error) {
        return errored(`error applying patch: ${(error as Error).message}`);
      }
    }
  }
  return { allowed: true, warnings };
}

/**
 * What the API server gets back from jsPolicy for `request` under `policy` (Controller policies never
 * match). The policy's own verdict (deny/error) is kept in `violation` even when violationPolicy Warn/Dry
 * turns it into an allow; an allowed:false verdict is appended to the JsPolicyViolations audit log when a
 * cluster is given and auditPolicy is not Skip.
 */
export function admit(policy: JsPolicy, request: AdmissionRequest, options: AdmitOptions = {}): AdmissionOutcome {
  if (!matchesWebhook(policy, request, clusterNamespaceLabels(options.cluster))) return { matched: false, allowed: true, warnings: [] };
  const name = policy.metadata?.name ?? '';
  const wire = toWireRequest(request);
  const script = resolvePolicyScript(policy, options.cluster, options.bundle);
  let answer: JsPolicyAnswer;
  if (!script.ok) {
    answer = errored(script.error);
  } else {
    const outcome = runPolicyScript({
      policyName: name,
      javascript: script.javascript,
      request: wire,
      timeoutSeconds: policy.spec?.timeoutSeconds ?? 10,
      cluster: options.cluster,
      access: options.access,
      log: options.log,
      now: options.now,
    });
    options.onRun?.(outcome);
    if (outcome.kind === 'hang' || outcome.kind === 'crash') return unanswered(policy, outcome);
    answer = outcome.kind === 'error' ? errored(outcome.message) : answerFor(policy, wire, outcome.response);
  }

  const result: AdmissionOutcome = { matched: true, allowed: answer.allowed, warnings: answer.warnings };
  if (answer.error !== undefined) result.error = answer.error;
  if (answer.patch) {
    result.patch = answer.patch;
    result.patchedObject = answer.patchedObject;
  }
  if (answer.allowed) return applyDryPatchDrop(policy, result);

  const code = answer.code ?? 500;
  const message = answer.message ?? '';
  result.violation = { kind: answer.error !== undefined ? 'error' : 'deny', code, message };
  if (answer.reason) result.violation.reason = answer.reason;

  const violationPolicy = policy.spec?.violationPolicy || 'Deny';
  if (options.cluster && policy.spec?.auditPolicy !== 'Skip') {
    const entry = buildViolation(violationPolicy as ViolationAction, wire, { code, reason: answer.reason, message }, options.now?.() ?? Date.now());
    const written = recordViolation(options.cluster, policy, entry);
    if (!written.ok) options.log?.(`[${name}]: error recording violation: ${written.message}`);
  }

  if (violationPolicy === 'Warn') {
    result.allowed = true;
    result.warnings = [...answer.warnings, `[${name}]: ${message}`];
    return result;
  }
  if (violationPolicy === 'Dry') {
    result.allowed = true;
    return applyDryPatchDrop(policy, result);
  }
  result.code = code;
  if (answer.reason) result.reason = answer.reason;
  result.message = message;
  return result;
}

/**
 * jsPolicy never answered: the API server's call times out (a run that never returns) or its
 * connection breaks (jsPolicy's process died), and the webhook's failurePolicy decides. jsPolicy
 * records no violation; its chart's webhooks default to failurePolicy Fail.
 */
function unanswered(policy: JsPolicy, outcome: { kind: 'hang' | 'crash'; message: string }): AdmissionOutcome {
  const name = policy.metadata?.name ?? '';
  const cause = outcome.kind === 'hang' ? 'context deadline exceeded' : 'EOF';
  const error = `failed calling webhook "${name}": failed to call webhook: Post "https://jspolicy.jspolicy.svc:443/policy/${name}": ${cause}`;
  const result: AdmissionOutcome = { matched: true, allowed: true, warnings: [], unanswered: { kind: outcome.kind, message: outcome.message } };
  if (policy.spec?.failurePolicy === 'Ignore') return result;
  return { ...result, allowed: false, code: 500, reason: 'InternalError', message: `Internal error occurred: ${error}`, error };
}

/** violationPolicy Dry: patches are dropped even when the request is allowed. */
function applyDryPatchDrop(policy: JsPolicy, result: AdmissionOutcome): AdmissionOutcome {
  if (policy.spec?.violationPolicy === 'Dry') {
    delete result.patch;
    delete result.patchedObject;
  }
  return result;
}
