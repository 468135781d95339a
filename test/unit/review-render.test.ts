// The review's decisions on hand-made objects, and the record of the approved version it diffs
// against: what the status keeps, within its bounds, and what the review makes of it.
import { describe, expect, it } from 'vitest';
import { specHashOf } from '../../lib/controller/apply.ts';
import { approvedVersion } from '../../lib/controller/approved-version.ts';
import { boundStatus } from '../../lib/controller/status-bounds.ts';
import type { ApprovedVersion, GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { JsPolicy } from '../../lib/k8s/types.ts';
import { guardOptionsFor, wrapWithGuard } from '../../lib/policy/guard.ts';
import { renderReview } from '../../lib/review/render.ts';
import type { PolicyApproval } from '../../lib/rollout/types.ts';
import { sha256Hex } from '../../lib/util/sha256.ts';

const CODE = "if (request.object?.metadata?.labels?.env === 'prod') {\n  deny('no prod here');\n}\n";

function jsPolicy(code: string, spec: Partial<JsPolicy['spec']> = {}): JsPolicy {
  const policy: JsPolicy = {
    apiVersion: 'policy.jspolicy.com/v1beta1',
    kind: 'JsPolicy',
    metadata: { name: 'deny-prod.gptpolicy.dev' },
    spec: {
      type: 'Validating',
      operations: ['CREATE'],
      resources: ['pods'],
      apiGroups: [''],
      failurePolicy: 'Ignore',
      timeoutSeconds: 5,
      violationPolicy: 'Dry',
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] },
      ...spec,
    },
  };
  return { ...policy, spec: { ...policy.spec, javascript: wrapWithGuard(code, guardOptionsFor(policy, true)) } };
}

function gptPolicy(policy: JsPolicy, status: GPTPolicy['status'] = {}): GPTPolicy {
  return {
    apiVersion: 'gptpolicy.dev/v1alpha1',
    kind: 'GPTPolicy',
    metadata: { name: 'deny-prod' },
    spec: { description: 'Deny pods labelled env=prod' },
    status: { policyName: policy.metadata.name, rollout: { stage: 'Dry', specHash: specHashOf(policy), since: '2026-01-02T00:00:00Z' }, ...status },
  };
}

const approval = (stage: 'Warn' | 'Deny', specHash: string): PolicyApproval => ({
  apiVersion: 'gptpolicy.dev/v1alpha1',
  kind: 'PolicyApproval',
  metadata: { name: `deny-prod.${stage.toLowerCase()}` },
  spec: { gptPolicy: 'deny-prod', stage, specHash, approvedBy: 'alice' },
});

const recordOf = (code: string, specHash = 'a'.repeat(64)): ApprovedVersion => ({ specHash, stage: 'Deny', approval: 'deny-prod.deny', approvedBy: 'alice', code, codeSha256: sha256Hex(code) });

describe('the approved version the status keeps', () => {
  const policy = jsPolicy(CODE);
  const hash = specHashOf(policy);

  it('is recorded when an approval puts the policy at Warn or Deny: its hash, who approved it, and its code without the guard', () => {
    const record = approvedVersion(undefined, hash, { stage: 'Warn', approval: approval('Warn', hash) }, policy.spec.javascript ?? '');
    expect(record).toEqual({ specHash: hash, stage: 'Warn', approval: 'deny-prod.warn', approvedBy: 'alice', code: CODE, codeSha256: sha256Hex(CODE) });
  });

  it('stays as it was at Dry (none approved, or the approval withdrawn) and on a resync, so nothing is written', () => {
    const earlier = recordOf('deny();');
    expect(approvedVersion(earlier, hash, { stage: 'Dry' }, policy.spec.javascript ?? '')).toBe(earlier);
    expect(approvedVersion(undefined, hash, { stage: 'Dry' }, policy.spec.javascript ?? '')).toBeUndefined();
    const record = approvedVersion(undefined, hash, { stage: 'Deny', approval: approval('Deny', hash) }, policy.spec.javascript ?? '') as ApprovedVersion;
    // The same approval again, even with the code clipped by the status bounds since: the same record.
    const clipped = { ...record, code: `${record.code.slice(0, 10)}…` };
    expect(approvedVersion(clipped, hash, { stage: 'Deny', approval: approval('Deny', hash) }, policy.spec.javascript ?? '')).toBe(clipped);
    expect(approvedVersion(record, hash, { stage: 'Deny', approval: approval('Deny', hash) }, policy.spec.javascript ?? '')).toBe(record);
    // Promoted further: recorded anew.
    expect(approvedVersion({ ...record, stage: 'Warn', approval: 'deny-prod.warn' }, hash, { stage: 'Deny', approval: approval('Deny', hash) }, policy.spec.javascript ?? '')).toEqual(record);
  });

  it('keeps a long code whole within the status bounds', () => {
    const code = `${'// a helper line of the approved policy\n'.repeat(1500)}deny('x');\n`;
    const bounded = boundStatus({ approved: recordOf(code) });
    expect(bounded.approved?.code).toBe(code);
  });
});

describe('renderReview', () => {
  it('diffs the approved code against this one, line by line, with context', () => {
    const old = "const env = request.object?.metadata?.labels?.env;\nif (env === 'prod') {\n  deny('no prod here');\n}\n";
    const now = "const env = request.object?.metadata?.labels?.env;\nif (env === 'prod' || env === 'staging') {\n  deny('no prod here');\n}\n";
    const policy = jsPolicy(now);
    const out = renderReview({ gptPolicy: gptPolicy(policy, { approved: recordOf(old) }), policy });
    expect(out).toContain(
      [
        '## Changes since the last approved version',
        `last approved: hash ${'a'.repeat(64)}, at Deny by alice (PolicyApproval deny-prod.deny)`,
        `--- approved aaaaaaaaaaaa`,
        `+++ this version ${specHashOf(policy).slice(0, 12)}`,
        '@@ -1,4 +1,4 @@',
        ' const env = request.object?.metadata?.labels?.env;',
        "-if (env === 'prod') {",
        "+if (env === 'prod' || env === 'staging') {",
        "   deny('no prod here');",
        ' }',
        '',
        '## Approve',
      ].join('\n'),
    );
  });

  it('shows no diff when this is the approved version, when no version was approved, or when the code is the same', () => {
    const policy = jsPolicy(CODE);
    expect(renderReview({ gptPolicy: gptPolicy(policy, { approved: recordOf(CODE, specHashOf(policy)) }), policy })).not.toContain('## Changes since');
    expect(renderReview({ gptPolicy: gptPolicy(policy), policy })).not.toContain('## Changes since');
    expect(renderReview({ gptPolicy: gptPolicy(policy, { approved: recordOf(CODE) }), policy })).toContain('the same code: what changed is around it');
  });

  it('refuses to diff an approved code the status bounds cut', () => {
    const policy = jsPolicy(CODE);
    const cut = { ...recordOf('deny();\n'.repeat(50)), code: 'deny();\n… (omitted to keep the status small)' };
    const out = renderReview({ gptPolicy: gptPolicy(policy, { approved: cut }), policy });
    expect(out).toContain('its code was cut to keep the status small, so there is no diff');
    expect(out).not.toContain('+++ this version');
  });

  it('approves nothing when the JsPolicy given is not the one the GPTPolicy shows', () => {
    const shown = jsPolicy(CODE);
    const other = jsPolicy("deny('everything');\n");
    const out = renderReview({ gptPolicy: gptPolicy(shown), policy: other });
    expect(out).toContain(`the JsPolicy above has hash ${specHashOf(other)}, not the GPTPolicy's ${specHashOf(shown)}`);
    expect(out).not.toContain('gptpolicy approve');
  });

  it('offers only the stages above the current one, and no Warn for a Mutating policy', () => {
    const mutating = jsPolicy("mutate(request.object);\n", { type: 'Mutating' });
    const out = renderReview({ gptPolicy: gptPolicy(mutating), policy: mutating, approveWith: 'kubectl-plugin' });
    expect(out).not.toContain('--stage Warn');
    expect(out).toContain(`  kubectl gptpolicy approve deny-prod --hash ${specHashOf(mutating)} --stage Deny\n`);
    expect(out).toContain('a patch may change only: nothing (the description names no field)');
  });

  it('says a policy fails closed, and that violations belong to an earlier policy', () => {
    const policy = jsPolicy(CODE, { failurePolicy: 'Fail' });
    const violations = { since: '2026-01-01T00:00:00Z', observed: 2, codeErrors: 1, recent: ['Dry CREATE Pod test/a: no prod here'], lastCodeError: 'TypeError: x (on CREATE Pod test/b)' };
    const out = renderReview({ gptPolicy: gptPolicy(policy, { violations }), policy });
    expect(out).toContain('fails CLOSED: failurePolicy Fail');
    expect(out).toContain(
      '(logged for an earlier policy, applied 2026-01-01T00:00:00Z: none read for this one yet)\n2 logged since 2026-01-01T00:00:00Z, 1 of them code errors; the newest:\n- Dry CREATE Pod test/a: no prod here\nlast code error: TypeError: x (on CREATE Pod test/b)',
    );
  });
});
