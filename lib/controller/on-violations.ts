import { API_VERSION, JSPOLICY_API_VERSION } from '../gptpolicy/api.ts';
import { pluralOf } from '../gptpolicy/kinds.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { JsPolicy, KubeObject } from '../k8s/types.ts';
import type { Platform } from '../platform/platform.ts';
import { summarizeViolations, type ViolationEntry } from '../rollout/violations.ts';
import { redactMessage } from '../util/redact.ts';
import { canonicalJson } from '../util/sha256.ts';
import { ownerKeyOf } from './compile-feedback.ts';
import { isGeneratedPolicyName } from './naming.ts';
import { decide } from './outcome.ts';
import { isOwnedBy } from './ownership.ts';
import { putStatus } from './status-writes.ts';

/**
 * jsPolicy logs every request a policy rejected — or would have, in Dry and Warn — to the policy's
 * JsPolicyViolations. The controller reads that back: the status shows what the policy did since
 * it was applied, and a code error the guard reported (a marked denial, let through) is the live
 * runtime feedback that starts the platform's correction round. Once a policy enforces (Deny), the
 * guard lets code errors through silently and jsPolicy keeps no trace: live error feedback ends there.
 */
export function onViolations(platform: Platform, log: KubeObject): void {
  const name = log.metadata.name ?? '';
  // Only our policies: an event for any other policy's log ends here, with no read.
  if (!isGeneratedPolicyName(name)) return;
  const policy = platform.getUncached<JsPolicy>('JsPolicy', JSPOLICY_API_VERSION, name);
  const owner = policy ? ownerKeyOf(policy) : undefined;
  const gp = owner ? platform.getUncached<GPTPolicy>(owner.kind, API_VERSION, owner.key) : undefined;
  const status = gp?.status;
  if (!gp || !policy || !status?.rollout?.since || !isOwnedBy(policy, gp) || status.policyName !== name) return;
  const entries = ((log.status as { violations?: ViolationEntry[] } | undefined)?.violations ?? []);
  const summary = summarizeViolations(entries, status.rollout.since, redactor(platform));
  const newError = summary.lastCodeError !== undefined && summary.lastCodeError !== (status.violations as { lastCodeError?: string } | undefined)?.lastCodeError;
  const withSummary: GPTPolicy = { ...gp, status: { ...status, violations: summary as unknown as Record<string, unknown> } };
  if (newError && status.generation && status.intentHash === status.generation.intentHash) {
    const problem = `in the cluster it threw ${summary.lastCodeError}; jsPolicy let the request through`;
    const corrected = decide(withSummary, status.generation, { kind: 'runtime-error', problem }, platform.now()).status;
    if (corrected.intentHash === undefined) {
      platform.log('info', 'the generated policy threw in the cluster', { gptpolicy: owner?.key, error: summary.lastCodeError });
      putStatus(platform, gp, corrected, pluralOf(gp.kind));
      return;
    }
  }
  if (canonicalJson(summary) !== canonicalJson(status.violations)) putStatus(platform, gp, withSummary.status, pluralOf(gp.kind));
}

/** Characters of a message kept when its object is gone (nothing to redact against). */
export const UNREDACTED_MAX = 40;

/**
 * Redacts a logged message against the object it was about, read now: jsPolicy's log names the
 * object, it does not hold it. While a policy runs Dry or Warn the object it judged exists (the
 * request went through); when it is gone (deleted, a DELETE, a denied CREATE), the message is cut
 * to UNREDACTED_MAX characters instead. Reads are uncached, one per object shown, never a Secret.
 */
function redactor(platform: Platform): (text: string, entry: ViolationEntry) => string {
  const read = new Map<string, unknown>();
  return (text, entry) => {
    const info = entry.requestInfo ?? {};
    const key = `${info.apiVersion ?? ''}/${info.kind ?? ''}/${info.namespace ?? ''}/${info.name ?? ''}`;
    if (!read.has(key)) read.set(key, readLogged(platform, info));
    const object = read.get(key);
    if (object !== undefined) return redactMessage(text, object);
    return text.length > UNREDACTED_MAX ? `${text.slice(0, UNREDACTED_MAX)}… (cut: the object is gone, so it could not be redacted)` : text;
  };
}

function readLogged(platform: Platform, info: NonNullable<ViolationEntry['requestInfo']>): unknown {
  if (!info.name || !info.kind || !info.apiVersion || /^secrets?$/i.test(info.kind)) return undefined;
  try {
    return platform.getUncached<KubeObject>(info.kind, info.apiVersion, info.namespace ? `${info.namespace}/${info.name}` : info.name);
  } catch {
    return undefined;
  }
}
