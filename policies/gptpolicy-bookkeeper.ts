// The bookkeeping controller: approvals, violations, skills and jsPolicy's verdicts on our
// JsPolicies reach the cluster's state here, in a worker of their own, never behind a model call
// of the generation controller. It never calls the model (reconcile's role), and a no-op event
// compiles only the triage, as in the generation controller.
import { needsRun } from '../lib/controller/triage.ts';
import { loadReconciler } from '../lib/platform/reconciler-code.ts';

if (needsRun(request)) loadReconciler().run(request, 'bookkeeping');
