// The code that acts on an event: everything the controller does beyond deciding that an event
// needs nothing (triage.ts). Built as its own bundle into ConfigMap gptpolicy-reconciler and
// evaluated by the controller's script only on runs that need it (lib/platform/reconciler-code.ts).
import type { AdmissionRequest } from '../k8s/types.ts';
import { jsPolicyPlatform } from '../platform/platform.ts';
import { reconcile, type ControllerRole } from './reconcile.ts';
import { reportUncaught } from './uncaught.ts';

export function run(request: AdmissionRequest, role: ControllerRole): void {
  const platform = jsPolicyPlatform();
  try {
    reconcile(platform, request, role);
  } catch (thrown) {
    // A controller bug: jsPolicy never retries a run that threw and only logs it as a violation, so
    // it is logged with its stack and said in the GPTPolicy's status. (requeue() and the other halts
    // are not exceptions and never arrive here.)
    reportUncaught(platform, request, thrown);
  }
}
