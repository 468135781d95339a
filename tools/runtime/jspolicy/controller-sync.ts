// When jsPolicy (re)starts a Controller policy, and what ControllerReady says then
// (pkg/controllers/jspolicy.go syncControllerPolicy ~337-375, the NotFound branch of Reconcile ~92-99).
import { createHash } from 'node:crypto';
import type { JsPolicy } from '../../../lib/k8s/types.ts';
import { bundleHash } from './compile-check.ts';

/**
 * jsPolicy's completeBundleHash: hash.String(json.Marshal(backgroundHashObj{BundleHash, Resources,
 * APIVersions, APIGroups})). Every field is `omitempty`, so an empty list and an absent one hash
 * alike, while `["*"]` or a repeated entry hash differently although gvksFromPolicy reads them the
 * same. bundleHash is status.bundleHash's (of {javascript, dependencies}) when the policy has
 * javascript, else the stored JsPolicyBundle's bundle ("not a javascript hash, but it will work as well").
 */
export function controllerPolicyHash(policy: JsPolicy, storedBundle: string | undefined): string {
  const spec = policy.spec ?? {};
  const object: Record<string, unknown> = { bundleHash: bundleHash(policy) || sha256(storedBundle ?? '') };
  if (spec.resources?.length) object.resources = spec.resources;
  if (spec.apiVersions?.length) object.apiVersions = spec.apiVersions;
  if (spec.apiGroups?.length) object.apiGroups = spec.apiGroups;
  return sha256(JSON.stringify(object));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * What one reconcile does for a Controller policy whose bundle compiled:
 * - `start`: no hash stored for this name, or a different one. jsPolicy stores the new hash *before*
 *   starting, so a start that fails (InitControllerPolicy) is not retried by later reconciles;
 * - `keep-false`: same hash and ControllerReady is False: the failure stays, nothing is started;
 * - `mark-true`: same hash and ControllerReady is not False — also when the condition is absent,
 *   e.g. a JsPolicy deleted and re-created while jsPolicy's workqueue never handed it the NotFound
 *   that clears the hash: it is then marked True although no controller runs for it.
 */
export type ControllerSyncStep = 'start' | 'keep-false' | 'mark-true';

export function decideControllerSync(storedHash: string | undefined, hash: string, controllerReady: string | undefined): ControllerSyncStep {
  if (storedHash === undefined || storedHash !== hash) return 'start';
  return controllerReady === 'False' ? 'keep-false' : 'mark-true';
}
