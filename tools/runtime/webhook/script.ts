// Which JavaScript a policy run executes (handler.go:135-152).
import { gunzipSync } from 'node:zlib';
import type { JsPolicy, KubeObject } from '../../../lib/k8s/types.ts';
import { JSPOLICY_API_VERSION } from '../../../lib/gptpolicy/api.ts';
import type { Cluster } from '../contracts.ts';
import { bundleHash, checkPolicyJavascript } from '../jspolicy/compile-check.ts';
import { webpackAvailable } from '../jspolicy/webpack-bundle.ts';

/**
 * source: 'bundle' = a JsPolicyBundle (stored, or given); 'webpack' = spec.javascript compiled now by
 * jsPolicy's webpack step (cached); 'javascript' = spec.javascript as written (only without webpack installed).
 */
export type PolicyScript = { ok: true; javascript: string; source: 'javascript' | 'bundle' | 'webpack' } | { ok: false; error: string };

export { JSPOLICY_API_VERSION };

/** base64(gzip(js)) as stored in JsPolicyBundle.spec.bundle. */
export function decodeBundle(bundle: string): string {
  return gunzipSync(Buffer.from(bundle, 'base64')).toString('utf8');
}

/** The stored bundle was compiled by the reconcile from this very spec (jsPolicy recompiles when bundleHash changes, jspolicy.go:236/267). */
function reconciledFromThisSpec(policy: JsPolicy): boolean {
  const status = policy.status;
  const compiled = status?.conditions?.find((c) => c.type === 'BundleCompiled');
  return compiled?.status === 'True' && status?.bundleHash === bundleHash(policy);
}

/**
 * jsPolicy always runs the JsPolicyBundle (handler.go:77-84 getBundle), which its reconciler compiles
 * from spec.javascript with webpack. Here:
 * - a policy with spec.javascript runs the stored JsPolicyBundle when the reconcile (installJsPolicy)
 *   built it from this spec; otherwise (admit/PolicyTest without a reconcile) spec.javascript is
 *   compiled now by the same cached webpack step and its output runs. A policy that does not compile
 *   is refused with the CompileFailed message (in jsPolicy it would have no webhook at all);
 * - a policy without javascript runs its JsPolicyBundle (base64 gzip) read from the cluster;
 * - a policy with spec.dependencies can only run from a JsPolicyBundle stored in the cluster (no npm install here);
 * - without webpack installed (or GPTPOLICY_WEBPACK=off) spec.javascript runs as written.
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
  const stored = bundleObject();
  const storedBundle = (stored?.spec as { bundle?: unknown } | undefined)?.bundle;
  if (spec.javascript && dependencies.length === 0) {
    if (!webpackAvailable()) return { ok: true, javascript: spec.javascript, source: 'javascript' };
    if (typeof storedBundle === 'string' && storedBundle !== '' && reconciledFromThisSpec(policy)) return fromBundle(storedBundle);
    const compiled = checkPolicyJavascript(policy);
    if (!compiled.ok) return { ok: false, error: `js policy ${name} does not compile, so jsPolicy never runs it (BundleCompiled=False, CompileFailed): ${compiled.message}` };
    return { ok: true, javascript: compiled.bundle ?? spec.javascript, source: compiled.bundle === undefined ? 'javascript' : 'webpack' };
  }
  if (spec.javascript && dependencies.length > 0) {
    if (typeof storedBundle === 'string' && storedBundle !== '') {
      return fromBundle(storedBundle);
    }
    return {
      ok: false,
      error:
        `js policy ${name} has spec.dependencies (${dependencies.join(', ')}): the local runtime does not run npm install, ` +
        `so it cannot build this policy; store a precompiled JsPolicyBundle named ${name} (base64 gzip of the webpack bundle) to run it`,
    };
  }
  return fromBundle(storedBundle);
}
