// jsPolicy itself inside the in-memory cluster: its webhooks and its JsPolicy reconciler.
export { bundleHash, checkPolicyJavascript } from './compile-check.ts';
export type { CompileCheck } from './compile-check.ts';
export { installJsPolicy, webhookRejection } from './install.ts';
export type { InstallJsPolicyOptions, JsPolicyInstallation } from './install.ts';
export { decideJsPolicyStatus, generationOf, hasActiveWebhook, needsReconcile } from './status.ts';
export type { JsPolicyCondition, ReconcileDecision } from './status.ts';
