// The GPTPolicy controller, run by jsPolicy for every GPTPolicy event (type: Controller).
import { reconcile } from '../lib/controller/reconcile.ts';
import { describeThrown, jsPolicyPlatform } from '../lib/platform/platform.ts';

const platform = jsPolicyPlatform();
try {
  reconcile(platform, request);
} catch (thrown) {
  // jsPolicy never retries a run that threw and only logs it as a violation: say what happened
  // instead. (requeue() and the other halts are not exceptions and never arrive here.)
  platform.log('error', `reconcile failed: ${describeThrown(thrown)}`, { gptpolicy: request.name });
}
