// Stamps every new PolicyApproval with the user who created it, replacing any value given, so an
// approval always says who approved. Hand-written and reviewed, like every policy under policies/.
import { stampApprover } from '../lib/rollout/stamp.ts';

const stamped = stampApprover(request);
if (stamped) mutate(stamped);
