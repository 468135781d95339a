// Validating/Mutating JsPolicies as admission webhooks: matching, admission, JSON patch, audit log.
export { admit } from './admit.ts';
export type { AdmitOptions } from './admit.ts';
export { auditLogSize, buildViolation, DEFAULT_AUDIT_LOG_SIZE, JSPOLICY_USER, kubeTimestamp, recordViolation } from './audit.ts';
export type { PolicyViolation, ViolationAction } from './audit.ts';
export { applyJsonPatch, createJsonPatch, escapePointerToken } from './json-patch.ts';
export {
  matchesNamespaceSelector,
  matchesObjectSelector,
  matchesOperation,
  matchesResource,
  matchesScope,
  matchesWebhook,
  namespaceLabelsFor,
} from '../../../lib/policy/webhook-match.ts';
export { toWireRequest } from './request.ts';
export { decodeBundle, JSPOLICY_API_VERSION, resolvePolicyScript } from './script.ts';
export type { PolicyScript } from './script.ts';
export { isEmptySelector, matchesLabelSelector } from '../../../lib/policy/label-selector.ts';
export { clusterNamespaceLabels } from './namespace-labels.ts';
export type { AdmissionOutcome, JsonPatchOp } from './types.ts';
