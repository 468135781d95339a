// jsPolicy does not run spec.javascript as written: it bundles it with webpack first. The guard and
// its confinement must survive that step (tools/runtime/jspolicy/webpack-bundle.ts reproduces it with
// jsPolicy's config and command; admit() runs its output).
import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, JsPolicy } from '../../lib/k8s/types.ts';
import { wrapWithGuard } from '../../lib/policy/guard.ts';
import { OPEN_SCOPE } from '../fixtures/guard.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import { admit } from '../../tools/runtime/webhook/admit.ts';
import { webpackLikeJsPolicy } from '../../tools/runtime/jspolicy/webpack-bundle.ts';
import { resolvePolicyScript } from '../../tools/runtime/webhook/script.ts';

const KEY = 'sk-the-model-key';
const request = (labels: Record<string, string> | undefined): AdmissionRequest => ({
  uid: 'u',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  namespace: 'team',
  name: 'web',
  operation: 'CREATE',
  userInfo: { username: 'alice' },
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'team', ...(labels ? { labels } : {}) } },
  oldObject: null,
  options: null,
});

/** A policy whose spec.javascript is the guarded candidate: admit() runs webpack's output of it, checked here. */
function webpacked(candidate: string, reportErrors = false): JsPolicy {
  const javascript = wrapWithGuard(candidate, { reportErrors, scope: OPEN_SCOPE });
  const packed = webpackLikeJsPolicy(javascript);
  if (!packed.ok) throw new Error(packed.message);
  const policy: JsPolicy = { apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicy', metadata: { name: 'p.gptpolicy.dev' }, spec: { type: 'Validating', operations: ['CREATE'], resources: ['pods'], javascript } };
  expect(resolvePolicyScript(policy)).toEqual({ ok: true, source: 'webpack', javascript: packed.javascript });
  return policy;
}

describe('after jsPolicy\'s webpack step', () => {
  it('verdicts stand, and a code error still fails open', { timeout: 60_000 }, () => {
    const policy = webpacked("if (request.object.metadata.labels.env === 'prod') deny('no prod');");
    expect(admit(policy, request({ env: 'prod' }))).toMatchObject({ allowed: false, message: 'no prod' });
    expect(admit(policy, request({ env: 'dev' }))).toMatchObject({ allowed: true });
    expect(admit(policy, request(undefined))).toMatchObject({ allowed: true });
  });

  it('the confinement holds: no write, no Secret', { timeout: 60_000 }, () => {
    const cluster = new InMemoryCluster({
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jspolicy' } },
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gptpolicy-openai', namespace: 'jspolicy' }, data: { OPENAI_API_KEY: Buffer.from(KEY).toString('base64') } },
      ],
    });
    const policy = webpacked(
      "try { create({apiVersion:'v1',kind:'ConfigMap',metadata:{name:'pwned',namespace:'team'}}) } catch (e) {}" +
        " deny(atob(get('Secret', 'v1', 'jspolicy/gptpolicy-openai').data.OPENAI_API_KEY))",
    );
    const outcome = admit(policy, request(undefined), { cluster });
    expect(cluster.get('v1', 'ConfigMap', 'team', 'pwned')).toBeUndefined();
    expect(JSON.stringify(outcome)).not.toContain(KEY);
  });
});
