// The GPTPolicy controller, run by jsPolicy for every GPTPolicy event (type: Controller).
import { reconcile } from '../lib/controller/reconcile.ts';
import { reportUncaught } from '../lib/controller/uncaught.ts';
import { jsPolicyPlatform } from '../lib/platform/platform.ts';

const platform = jsPolicyPlatform();
try {
  reconcile(platform, request);
} catch (thrown) {
  // A controller bug: jsPolicy never retries a run that threw and only logs it as a violation, so
  // it is logged with its stack and said in the GPTPolicy's status. (requeue() and the other halts
  // are not exceptions and never arrive here.)
  reportUncaught(platform, request, thrown);
}
