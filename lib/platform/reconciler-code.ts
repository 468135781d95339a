import type { AdmissionRequest } from '../k8s/types.ts';
import { loadCodeFrom, type CodeInConfigMap } from './code-configmap.ts';
import { jsPolicyNamespace } from './read-config.ts';

/** What lib/controller/reconciler.ts exports (build.mjs bundles it with this global name). */
export interface Reconciler {
  run(request: AdmissionRequest, role: 'generation' | 'bookkeeping'): void;
}

export const RECONCILER_CODE: CodeInConfigMap = { configMap: 'gptpolicy-reconciler', key: 'reconciler.js', global: '__gptpolicyReconciler', what: 'the reconciler' };

/** sha256 of the reconciler this controller was built with (build.mjs defines it). */
declare const GPTPOLICY_RECONCILER_SHA256: string;

/**
 * The reconciler, from its ConfigMap. Without it (applied out of order, or of another build) no
 * status can be written, so the run is requeued — jsPolicy retries it with backoff — and the
 * reason goes to jsPolicy's log.
 */
export function loadReconciler(): Reconciler {
  const host = { env: (name: string) => env(name), readFile: (path: string) => readFileSync(path) };
  const namespace = jsPolicyNamespace(host);
  try {
    return loadCodeFrom<Reconciler>(() => get('ConfigMap', 'v1', `${namespace}/${RECONCILER_CODE.configMap}`, { cache: false }), namespace, RECONCILER_CODE, GPTPOLICY_RECONCILER_SHA256);
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    print(JSON.stringify({ level: 'error', msg: message }));
    return requeue(message);
  }
}
