// The local jsPolicy runtime's public API: one policy run (V8 emulation), the in-memory API server,
// webhook admission, controller policies, jsPolicy's own reconcile/validation inside the cluster, PolicyTest.
export { runPolicyScript } from './vm/index.ts';
export { InMemoryCluster } from './apiserver/index.ts';
export type { InMemoryClusterOptions } from './apiserver/index.ts';
export type {
  AdmissionHook,
  AdmissionVerdict,
  ApiResource,
  Cluster,
  HostAccess,
  PolicyResponse,
  RunOptions,
  RunOutcome,
  StatusFailure,
  UserInfo,
  WatchEvent,
  WriteResult,
} from './contracts.ts';

export {
  admit,
  applyJsonPatch,
  auditLogSize,
  buildViolation,
  createJsonPatch,
  matchesLabelSelector,
  matchesWebhook,
  recordViolation,
  resolvePolicyScript,
  toWireRequest,
} from './webhook/index.ts';
export type { AdmissionOutcome, AdmitOptions, JsonPatchOp, PolicyViolation, ViolationAction } from './webhook/index.ts';

export { buildControllerRequest, ControllerLoop, resolveWatchedKinds } from './controller/index.ts';
export type { ControllerLoopOptions, ControllerStartResult, ControllerStats, ProcessResult, SettleOptions } from './controller/index.ts';

export { bundleHash, checkPolicyJavascript, decideJsPolicyStatus, installJsPolicy } from './jspolicy/index.ts';
export type { InstallJsPolicyOptions, JsPolicyInstallation } from './jspolicy/index.ts';

export { loadPolicyTest, PolicyTestError, runPolicyTestCases, runPolicyTestFile } from './policytest/index.ts';
export type { CaseResult, PolicyTestCase, PolicyTestDocument, RunCasesOptions } from './policytest/index.ts';
