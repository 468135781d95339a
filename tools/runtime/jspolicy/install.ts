// jsPolicy installed into a cluster: (a) its /crds webhook validating JsPolicy writes, (b) one webhook per
// stored Validating/Mutating JsPolicy on every write, (c) its JsPolicy reconciler writing status.
import { gzipSync } from 'node:zlib';
import type { AdmissionRequest, JsPolicy, KubeObject } from '../../../lib/k8s/types.ts';
import { formatDenial, validateJsPolicy } from '../../../lib/jspolicy/validate-spec.ts';
import type { AdmissionVerdict, Cluster, HostAccess, WatchEvent } from '../contracts.ts';
import { admit } from '../webhook/admit.ts';
import { JSPOLICY_USER } from '../webhook/audit.ts';
import { decodeBundle, JSPOLICY_API_VERSION } from '../webhook/script.ts';
import type { AdmissionOutcome } from '../webhook/types.ts';
import { decideJsPolicyStatus, hasActiveWebhook, needsReconcile, type SyncController } from './status.ts';
import { controllerPolicyHash, decideControllerSync } from './controller-sync.ts';
import { ControllerLoop, type VirtualClock } from '../controller/loop.ts';
import { resolveWatchedKinds } from '../controller/resolve.ts';

export interface InstallJsPolicyOptions {
  /** (a) validate JsPolicy writes like jsPolicy's "jspolicy.jspolicy.com" webhook. Default true. */
  validation?: boolean;
  /** (b) run stored Validating/Mutating JsPolicies on every write. Default true. */
  webhooks?: boolean;
  /** (c) reconcile JsPolicy objects (status, JsPolicyBundle). Default true. */
  reconcile?: boolean;
  access?: HostAccess;
  log?: (line: string) => void;
  /** ms since the epoch for runs, audit entries and condition times. */
  now?: () => number;
  /**
   * Run every Controller JsPolicy jsPolicy starts, each in a ControllerLoop of its own on this clock, started,
   * restarted and stopped as jsPolicy's policy manager does (controllerLoops()). Without it, ControllerReady
   * still follows jsPolicy's hash rule, and callers run loops themselves (LocalJsPolicy).
   */
  controllers?: { clock: VirtualClock; access?: HostAccess };
}

export interface JsPolicyInstallation {
  /** Removes the admission hooks and stops reconciling. */
  uninstall(): void;
  /** Reconciles every stored JsPolicy whose status is not for its generation (done once at install). */
  reconcileAll(): void;
  /** The controller policies running now (with `controllers`), by name. */
  controllerLoops(): ControllerLoop[];
}

/** Nested admission (a policy's own writes inside a webhook run) deeper than this is rejected. */
const MAX_ADMISSION_DEPTH = 16;

/** How the API server reports a webhook rejection (k8s webhookerrors.ToStatusErr). */
export function webhookRejection(webhook: string, outcome: { code?: number; reason?: string; message?: string }, warnings: string[]): AdmissionVerdict {
  const deniedBy = `admission webhook "${webhook}" denied the request`;
  const message = outcome.message ? `${deniedBy}: ${outcome.message}` : outcome.reason ? `${deniedBy}: ${outcome.reason}` : `${deniedBy} without explanation`;
  const code = outcome.code === undefined || outcome.code < 400 ? 400 : outcome.code;
  const verdict: AdmissionVerdict = { allowed: false, code, message, warnings };
  if (outcome.reason) verdict.reason = outcome.reason;
  return verdict;
}

function isJsPolicyKind(object: { apiVersion?: string; kind?: string } | null | undefined, kind: string): boolean {
  return !!object && object.apiVersion === JSPOLICY_API_VERSION && object.kind === kind;
}

function isJsPolicyWrite(request: AdmissionRequest): boolean {
  return (
    request.resource?.group === 'policy.jspolicy.com' &&
    request.resource?.resource === 'jspolicies' &&
    !request.subResource &&
    (request.operation === 'CREATE' || request.operation === 'UPDATE')
  );
}

export function installJsPolicy(cluster: Cluster, options: InstallJsPolicyOptions = {}): JsPolicyInstallation {
  const validation = options.validation !== false;
  const webhooks = options.webhooks !== false;
  const reconcile = options.reconcile !== false;
  const now = (): number => options.now?.() ?? Date.now();
  let depth = 0;

  const policies = (types: Array<string | undefined>): JsPolicy[] =>
    (cluster.list(JSPOLICY_API_VERSION, 'JsPolicy') as JsPolicy[])
      .filter((p) => types.includes(p.spec?.type ?? '') && hasActiveWebhook(p))
      .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));

  const run = (policy: JsPolicy, request: AdmissionRequest): AdmissionOutcome =>
    admit(policy, request, { cluster, access: options.access, log: options.log, now: options.now });

  const guarded = (hook: (request: AdmissionRequest) => AdmissionVerdict) => (request: AdmissionRequest): AdmissionVerdict => {
    if (depth >= MAX_ADMISSION_DEPTH) {
      return { allowed: false, code: 500, message: `admission webhooks nested more than ${MAX_ADMISSION_DEPTH} deep (a policy's writes keep triggering policies)` };
    }
    depth += 1;
    try {
      return hook(request);
    } finally {
      depth -= 1;
    }
  };

  const mutating = (request: AdmissionRequest): AdmissionVerdict => {
    const warnings: string[] = [];
    let current = request;
    let changed = false;
    for (const policy of policies(['Mutating'])) {
      const outcome = run(policy, current);
      if (!outcome.matched) continue;
      warnings.push(...outcome.warnings);
      if (!outcome.allowed) return webhookRejection(policy.metadata?.name ?? '', outcome, warnings);
      if (outcome.patchedObject) {
        current = { ...current, object: outcome.patchedObject };
        changed = true;
      }
    }
    const verdict: AdmissionVerdict = { allowed: true, warnings };
    if (changed && current.object) verdict.patchedObject = current.object as KubeObject;
    return verdict;
  };

  const validating = (request: AdmissionRequest): AdmissionVerdict => {
    const warnings: string[] = [];
    if (validation && isJsPolicyWrite(request)) {
      const errors = validateJsPolicy(request.object, request.operation === 'UPDATE' ? request.oldObject ?? undefined : undefined);
      if (errors.length > 0) {
        return { allowed: false, code: 403, reason: 'Forbidden', message: `admission webhook "jspolicy.jspolicy.com" denied the request: ${formatDenial(errors)}`, warnings };
      }
    }
    if (webhooks) {
      for (const policy of policies(['Validating', ''])) {
        const outcome = run(policy, request);
        if (!outcome.matched) continue;
        warnings.push(...outcome.warnings);
        if (!outcome.allowed) return webhookRejection(policy.metadata?.name ?? '', outcome, warnings);
      }
    }
    return { allowed: true, warnings };
  };

  cluster.setAdmission({ mutating: webhooks ? guarded(mutating) : undefined, validating: validation || webhooks ? guarded(validating) : undefined });

  // (c) reconcile, serialized: status writes made while reconciling only queue further work.
  const pending: Array<{ name: string; force: boolean }> = [];
  let draining = false;

  const writeBundle = (policy: JsPolicy, javascript: string): void => {
    const name = policy.metadata?.name ?? '';
    const existing = cluster.get(JSPOLICY_API_VERSION, 'JsPolicyBundle', undefined, name);
    const current = (existing?.spec as { bundle?: string } | undefined)?.bundle;
    if (current) {
      try {
        if (decodeBundle(current) === javascript) return;
      } catch {
        // rewrite a corrupt bundle
      }
    }
    const bundle = gzipSync(Buffer.from(javascript, 'utf8')).toString('base64');
    if (existing) {
      cluster.update({ ...existing, spec: { ...((existing.spec as object) ?? {}), bundle } }, JSPOLICY_USER);
      return;
    }
    const object: KubeObject = { apiVersion: JSPOLICY_API_VERSION, kind: 'JsPolicyBundle', metadata: { name }, spec: { bundle } };
    if (policy.metadata?.uid) {
      object.metadata.ownerReferences = [{ apiVersion: JSPOLICY_API_VERSION, kind: 'JsPolicy', name, uid: policy.metadata.uid, controller: true, blockOwnerDeletion: true }];
    }
    cluster.create(object, JSPOLICY_USER);
  };

  // jsPolicy's controllerPolicyHash map (in memory: lost only when jsPolicy restarts) and its policy manager.
  const controllerHashes = new Map<string, string>();
  const loops = new Map<string, ControllerLoop>();

  const stopController = (name: string): void => {
    loops.get(name)?.stop();
    loops.delete(name);
  };

  // manager.go Update: resolve the kinds (a failure starts nothing), then start the policy's controller with
  // RequeueAll, or RequeueAll the one already running (a ControllerLoop re-resolves its kinds on start()).
  const startController = (policy: JsPolicy): { ok: true } | { ok: false; message: string } => {
    const watched = resolveWatchedKinds(policy, cluster);
    if (!watched.ok) return watched;
    if (!options.controllers) return { ok: true };
    const name = policy.metadata?.name ?? '';
    const loop = loops.get(name) ?? new ControllerLoop({ cluster, policy, access: options.controllers.access, log: options.log, clock: options.controllers.clock, managed: true });
    loops.set(name, loop);
    const started = loop.start();
    return started.ok ? { ok: true } : { ok: false, message: started.message.replace(/^error starting controller policy: /, '') };
  };

  const syncController: SyncController = (policy) => {
    const name = policy.metadata?.name ?? '';
    const stored = (cluster.get(JSPOLICY_API_VERSION, 'JsPolicyBundle', undefined, name)?.spec as { bundle?: string } | undefined)?.bundle;
    const hash = controllerPolicyHash(policy, stored);
    const previous = policy.status?.conditions?.find((c) => c.type === 'ControllerReady');
    const step = decideControllerSync(controllerHashes.get(name), hash, previous?.status);
    if (step === 'keep-false') return { ok: false, reason: previous?.reason, message: previous?.message };
    if (step === 'mark-true') return { ok: true };
    controllerHashes.set(name, hash);
    const started = startController(policy);
    if (started.ok) return { ok: true };
    stopController(name);
    return { ok: false, reason: 'InitControllerPolicy', message: `error starting controller policy: ${started.message}` };
  };

  const reconcileOne = (name: string, force: boolean): void => {
    const policy = cluster.get(JSPOLICY_API_VERSION, 'JsPolicy', undefined, name) as JsPolicy | undefined;
    if (!policy || policy.metadata?.deletionTimestamp) return;
    if (!force && !needsReconcile(policy)) return;
    const decision = decideJsPolicyStatus(policy, cluster, now(), syncController);
    // jspolicy.go: a policy whose bundle does not compile has its controller stopped (its hash stays).
    if (decision.status.conditions?.some((c) => c.type === 'BundleCompiled' && c.status === 'False')) stopController(name);
    if (decision.compiledJavascript !== undefined) writeBundle(policy, decision.compiledJavascript);
    const fresh = (cluster.get(JSPOLICY_API_VERSION, 'JsPolicy', undefined, name) as JsPolicy | undefined) ?? policy;
    if (JSON.stringify(fresh.status ?? {}) === JSON.stringify(decision.status)) return;
    const written = cluster.updateStatus({ ...fresh, status: decision.status } as KubeObject, JSPOLICY_USER);
    if (!written.ok) options.log?.(`error reconciling js policy ${name}: ${written.message}`);
  };

  const drain = (): void => {
    if (draining) return;
    draining = true;
    try {
      for (let item = pending.shift(); item; item = pending.shift()) reconcileOne(item.name, item.force);
    } finally {
      draining = false;
    }
  };

  const onEvent = (event: WatchEvent): void => {
    const object = event.object;
    if (isJsPolicyKind(object, 'JsPolicy') && event.type === 'DELETED') {
      // The reconcile that finds it NotFound stops its controller and forgets its hash (jspolicy.go ~92-99).
      controllerHashes.delete(object.metadata?.name ?? '');
      stopController(object.metadata?.name ?? '');
    } else if (isJsPolicyKind(object, 'JsPolicy') && needsReconcile(object as JsPolicy)) {
      pending.push({ name: object.metadata?.name ?? '', force: false });
    } else if (isJsPolicyKind(object, 'JsPolicyBundle')) {
      // A bundle appearing or changing re-reconciles its precompiled policy (BundleMissing → Synced).
      const policy = cluster.get(JSPOLICY_API_VERSION, 'JsPolicy', undefined, object.metadata?.name ?? '') as JsPolicy | undefined;
      if (policy && !policy.spec?.javascript) pending.push({ name: object.metadata?.name ?? '', force: true });
    }
    drain();
  };

  const reconcileAll = (): void => {
    for (const policy of cluster.list(JSPOLICY_API_VERSION, 'JsPolicy') as JsPolicy[]) {
      if (needsReconcile(policy)) pending.push({ name: policy.metadata?.name ?? '', force: false });
    }
    drain();
  };

  let unsubscribe: (() => void) | undefined;
  if (reconcile) {
    unsubscribe = cluster.watch(onEvent);
    reconcileAll();
  }

  return {
    uninstall(): void {
      for (const name of [...loops.keys()]) stopController(name);
      unsubscribe?.();
      unsubscribe = undefined;
      cluster.setAdmission({});
    },
    reconcileAll,
    controllerLoops: () => [...loops.values()],
  };
}
