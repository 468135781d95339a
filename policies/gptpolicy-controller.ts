// The generation controller, run by jsPolicy for every GPTPolicy event (type: Controller): the only
// one that calls the model. jsPolicy compiles this whole script on every event, resyncs included,
// so it holds only what decides that an event needs nothing; the code that acts is read from its
// ConfigMap when one does.
import { needsRun } from '../lib/controller/triage.ts';
import { loadReconciler } from '../lib/platform/reconciler-code.ts';

if (needsRun(request)) loadReconciler().run(request, 'generation');
