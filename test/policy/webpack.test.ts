// jsPolicy does not run spec.javascript as written: it bundles it with webpack first. The guard and
// its confinement must survive that step (bench/webpack.ts reproduces it with jsPolicy's config).
import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, JsPolicy } from '../../lib/k8s/types.ts';
import { wrapWithGuard } from '../../lib/policy/guard.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import { admit } from '../../tools/runtime/webhook/admit.ts';
import { rebundleLikeJsPolicy } from '../../tools/runtime/jspolicy/webpack-bundle.ts';

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

async function webpacked(candidate: string, reportErrors = false): Promise<JsPolicy> {
  const packed = await rebundleLikeJsPolicy(wrapWithGuard(candidate, { reportErrors }));
  if ('error' in packed) throw new Error(packed.error);
  return { apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicy', metadata: { name: 'p.gptpolicy.dev' }, spec: { type: 'Validating', operations: ['CREATE'], resources: ['pods'], javascript: packed.javascript } };
}

describe('after jsPolicy\'s webpack step', () => {
  it('verdicts stand, and a code error still fails open', { timeout: 60_000 }, async () => {
    const policy = await webpacked("if (request.object.metadata.labels.env === 'prod') deny('no prod');");
    expect(admit(policy, request({ env: 'prod' }))).toMatchObject({ allowed: false, message: 'no prod' });
    expect(admit(policy, request({ env: 'dev' }))).toMatchObject({ allowed: true });
    expect(admit(policy, request(undefined))).toMatchObject({ allowed: true });
  });

  it('the confinement holds: no write, no Secret', { timeout: 60_000 }, async () => {
    const cluster = new InMemoryCluster({
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jspolicy' } },
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gptpolicy-openai', namespace: 'jspolicy' }, data: { OPENAI_API_KEY: Buffer.from(KEY).toString('base64') } },
      ],
    });
    const policy = await webpacked(
      "try { create({apiVersion:'v1',kind:'ConfigMap',metadata:{name:'pwned',namespace:'team'}}) } catch (e) {}" +
        " deny(atob(get('Secret', 'v1', 'jspolicy/gptpolicy-openai').data.OPENAI_API_KEY))",
    );
    const outcome = admit(policy, request(undefined), { cluster });
    expect(cluster.get('v1', 'ConfigMap', 'team', 'pwned')).toBeUndefined();
    expect(JSON.stringify(outcome)).not.toContain(KEY);
  });
});
