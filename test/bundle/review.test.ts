import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { KubeObject } from '../../lib/k8s/types.ts';
import { startFakeModel, type FakeModel } from '../../tools/fake-model/index.ts';
import { LocalJsPolicy } from '../../tools/local/local-jspolicy.ts';
import { reviewCommand } from '../../tools/cli/review.ts';
import { denyProdAnswer, INCIDENT_INTENT } from '../fixtures/answers.ts';

const GP = 'gptpolicy.dev/v1alpha1';
const JSP = 'policy.jspolicy.com/v1beta1';

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

async function review(input: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await reviewCommand(['-'], { stdout: (t) => (out += t), stderr: (t) => (err += t) }, async () => input);
  return { code, out, err };
}

describe('gptpolicy review', () => {
  it('shows, in order, the intent, plan, code without the guard, guard rails, impact, violations and the approve command', async () => {
    model = await startFakeModel([{ toolCall: { name: 'submit_policy', arguments: denyProdAnswer() } }]);
    const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: 'fake' } });
    local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'deny-prod' }, spec: { description: INCIDENT_INTENT } } as KubeObject);
    local.settle();
    const gp = local.get<GPTPolicy>(GP, 'GPTPolicy', 'deny-prod') as GPTPolicy;
    const policyName = gp.status?.policyName as string;
    // As kubectl prints them: the GPTPolicy, then a List of the JsPolicy and its bundle.
    const list = { apiVersion: 'v1', kind: 'List', items: [local.get(JSP, 'JsPolicy', policyName), local.get(JSP, 'JsPolicyBundle', policyName)] };
    const { code, out } = await review(`${stringify(gp)}---\n${stringify(list)}`);
    expect(code).toBe(0);
    const order = ['## Intent', '## Plan', '## Code (without the guard)', '## What the guard rails add', '## Impact preview', '## Violations', '## Approve'];
    const positions = order.map((h) => out.indexOf(h));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(out).toContain(INCIDENT_INTENT);
    expect(out).toContain("deny('pods labelled env=prod are not allowed in namespace test')");
    expect(out).not.toContain('gptpolicy:guard');
    expect(out).toContain('namespaces: only test; never');
    expect(out).toContain('failurePolicy Ignore');
    expect(out).toContain(`gptpolicy approve deny-prod --hash ${gp.status?.rollout?.specHash} --stage Deny | kubectl create -f -`);
  }, 120_000);

  it('says what is missing and how to get it', async () => {
    const gp = { apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'x' }, spec: { description: 'Deny pods labelled env=prod' }, status: { policyName: 'x.gptpolicy.dev' } };
    const only = await review(stringify(gp));
    expect(only.code).toBe(0);
    expect(only.out).toContain('kubectl get jspolicy,jspolicybundle x.gptpolicy.dev -o yaml');
    expect(only.out).toContain('nothing to approve');
    const none = await review(stringify({ apiVersion: JSP, kind: 'JsPolicy', metadata: { name: 'y' }, spec: {} }));
    expect(none.code).toBe(2);
    expect(none.err).toContain('exactly one GPTPolicy or NamespacedGPTPolicy, it holds 0');
    const broken = await review('a: [');
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('not YAML');
  });
});
