// Which JavaScript a policy run executes (handler.go:135-152).
import { gunzipSync } from 'node:zlib';
import type { JsPolicy, KubeObject } from '../../../lib/k8s/types.ts';
import { JSPOLICY_API_VERSION } from '../../../lib/gptpolicy/api.ts';
import type { Cluster } from '../contracts.ts';

export type PolicyScript = { ok: true; javascript: string; source: 'javascript' | 'bundle' } | { ok: false; error: string };

export { JSPOLICY_API_VERSION };

/** base64(gzip(js)) as stored in JsPolicyBundle.spec.bundle. */
export function decodeBundle(bundle: string): string {
  return gunzipSync(Buffer.from(bundle, 'base64')).toString('utf8');
}

/**
 * jsPolicy always runs the JsPolicyBundle, which it compiles from spec.javascript with webpack. Locally,
 * spec.javascript is run as written (no webpack, so no npm dependencies and no import/export); a policy
 * without javascript runs its JsPolicyBundle (base64 gzip) read from the cluster. A policy with
 * spec.dependencies can only run from a JsPolicyBundle stored in the cluster: it is refused otherwise.
 */
export function resolvePolicyScript(policy: JsPolicy, cluster?: Cluster, bundleOverride?: string): PolicyScript {
  const name = policy.metadata?.name ?? '';
  const spec = policy.spec ?? {};
  const dependencies = Object.keys(spec.dependencies ?? {});
  const bundleObject = (): KubeObject | undefined => cluster?.get(JSPOLICY_API_VERSION, 'JsPolicyBundle', undefined, name);
  const fromBundle = (bundle: unknown): PolicyScript => {
    if (typeof bundle !== 'string' || bundle === '') return { ok: false, error: `couldn't find javascript bundle for js policy ${name}` };
    try {
      return { ok: true, javascript: decodeBundle(bundle), source: 'bundle' };
    } catch {
      return { ok: false, error: `error decompressing javascript bundle for js policy ${name}` };
    }
  };
  if (bundleOverride !== undefined) return fromBundle(bundleOverride);
  if (spec.javascript && dependencies.length === 0) return { ok: true, javascript: spec.javascript, source: 'javascript' };
  const stored = bundleObject();
  const storedBundle = (stored?.spec as { bundle?: unknown } | undefined)?.bundle;
  if (spec.javascript && dependencies.length > 0) {
    if (typeof storedBundle === 'string' && storedBundle !== '') {
      return fromBundle(storedBundle);
    }
    return {
      ok: false,
      error:
        `js policy ${name} has spec.dependencies (${dependencies.join(', ')}): the local runtime does not run npm install/webpack, ` +
        `so it cannot build this policy; store a precompiled JsPolicyBundle named ${name} (base64 gzip of the webpack bundle) to run it`,
    };
  }
  return fromBundle(storedBundle);
}
