// A policy gptpolicy emitted (guard included) is judged by its candidate's code, not our wrapper.
import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES } from '../../lib/k8s/builtin-resources.ts';
import { lintPolicy } from '../../lib/lint/index.ts';
import { wrapWithGuard } from '../../lib/policy/guard.ts';
import { OPEN_SCOPE } from '../fixtures/guard.ts';

const policy = (javascript: string) => ({
  apiVersion: 'policy.jspolicy.com/v1beta1',
  kind: 'JsPolicy',
  metadata: { name: 'p.gptpolicy.dev' },
  spec: { type: 'Validating', operations: ['CREATE'], resources: ['pods'], apiGroups: [''], apiVersions: ['v1'], javascript },
});

describe('linting an emitted policy', () => {
  it('passes a sound candidate in its guard (the guard names mutate and requeue itself)', () => {
    const findings = lintPolicy(policy(wrapWithGuard("if (request.object?.metadata?.labels?.env === 'prod') deny('no prod');", { reportErrors: true, scope: OPEN_SCOPE })), { profile: 'generated', resources: BUILTIN_RESOURCES });
    expect(findings).toEqual([]);
  });

  it("still finds the candidate's own flaws, at the candidate's lines", () => {
    const [finding] = lintPolicy(policy(wrapWithGuard('allow();\nfetchSync("http://x");', { reportErrors: false, scope: OPEN_SCOPE })), { profile: 'generated', resources: BUILTIN_RESOURCES });
    expect(finding).toMatchObject({ rule: 'forbidden-call', line: 2 });
  });
});
