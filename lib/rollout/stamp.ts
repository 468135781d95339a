import type { AdmissionRequest } from '../k8s/types.ts';
import type { PolicyApproval } from './types.ts';

/** The approval with spec.approvedBy set to the requesting user, or undefined when it already is. */
export function stampApprover(request: AdmissionRequest): PolicyApproval | undefined {
  const approval = request.object as PolicyApproval | null;
  if (!approval?.spec) return undefined;
  const user = request.userInfo.username ?? '';
  if (approval.spec.approvedBy === user) return undefined;
  return { ...approval, spec: { ...approval.spec, approvedBy: user } };
}
