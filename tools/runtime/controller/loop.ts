// One Controller-type JsPolicy running against a cluster, as jsPolicy's policy controller does
// (pkg/controller/policy.go, handler.go, manager.go): RequeueAll on start, one key queue fed by watch
// events, one run at a time, requeue() backoff on a virtual clock, errors never retried.
import type { JsPolicy, KubeObject } from '../../../lib/k8s/types.ts';
import type { ApiResource, Cluster, EngineTiming, HostAccess, WatchEvent } from '../contracts.ts';
import { runPolicyScript } from '../vm/index.ts';
import { buildViolation, recordViolation } from '../webhook/audit.ts';
import { matchesOperation } from '../../../lib/policy/webhook-match.ts';
import { JSPOLICY_API_VERSION, resolvePolicyScript } from '../webhook/script.ts';
import { matchesLabelSelector, isEmptySelector } from '../../../lib/policy/label-selector.ts';
import { WorkQueue } from './queue.ts';
import { apiVersionOf, buildControllerRequest, formatKey, parseKey } from './request.ts';
import { resolveWatchedKinds } from './resolve.ts';
import { controllerPolicyHash } from '../jspolicy/controller-sync.ts';

export interface ControllerLoopOptions {
  cluster: Cluster;
  /** The Controller policy. When the cluster stores a JsPolicy of the same name, that one is re-read per run. */
  policy: JsPolicy;
  access?: HostAccess;
  log?: (line: string) => void;
  /** Start of the virtual clock (ms since the epoch); default: the real time at construction. */
  epochMs?: number;
  /** A clock shared with other controller loops of the same jsPolicy (one time for all); else the loop's own. */
  clock?: VirtualClock;
  /**
   * Started, restarted (start() again) and stopped by jsPolicy's reconcile (installJsPolicy's `controllers`),
   * which keeps jsPolicy's hash map; the loop then neither restarts itself on a new hash nor stops on deletion.
   */
  managed?: boolean;
}

/** Virtual time in ms since the epoch; it only moves forward. */
export class VirtualClock {
  constructor(private ms: number) {}

  now(): number {
    return this.ms;
  }

  advanceTo(ms: number): void {
    this.ms = Math.max(this.ms, ms);
  }
}

export type ControllerStartResult =
  | { ok: true; watched: ApiResource[] }
  | { ok: false; reason: 'InitControllerPolicy'; message: string };

export interface ProcessResult {
  key: string;
  /** Set when the run was skipped (operation not in spec.operations). */
  skipped?: string;
  operation?: 'CREATE' | 'DELETE';
  result?: 'allow' | 'deny' | 'requeue' | 'error' | 'hang' | 'crash';
  message?: string;
  warnings?: string[];
  /** requeue(): the backoff chosen for this key. */
  delayMs?: number;
  /** Time inside the V8 engine (fresh context, then the script), without the engine process's overhead. */
  engineMs?: EngineTiming;
}

export interface ControllerStats {
  /** Script runs (skipped keys not counted). */
  runs: number;
  requeues: number;
  errors: string[];
  denials: string[];
  /** Queue and delayed set empty when runUntilSettled returned. */
  settled: boolean;
  /** process.versions.v8 of the engine that ran the last run. */
  v8?: string;
}

export interface SettleOptions {
  /** Stop after this many processed keys (default 200). */
  maxRuns?: number;
  /** Do not advance the virtual clock further than this past the call's start. */
  maxVirtualMs?: number;
}

function emptyStats(): ControllerStats {
  return { runs: 0, requeues: 0, errors: [], denials: [], settled: false };
}

export class ControllerLoop {
  private readonly cluster: Cluster;
  private readonly policyName: string;
  private readonly fallbackPolicy: JsPolicy;
  private readonly options: ControllerLoopOptions;
  private readonly queue: WorkQueue;
  private readonly time: VirtualClock;
  private watched: ApiResource[] = [];
  private unsubscribe: (() => void) | undefined;
  private startHash: string | undefined;
  private started = false;
  private deleted = false;
  private startFailure: string | undefined;
  private running = false;
  /** Set once a run never returned or took jsPolicy down: the policy's one worker is gone. */
  private lost: string | undefined;
  private readonly totals: ControllerStats = emptyStats();
  private current: ControllerStats | undefined;

  constructor(options: ControllerLoopOptions) {
    this.options = options;
    this.cluster = options.cluster;
    this.fallbackPolicy = options.policy;
    this.policyName = options.policy.metadata?.name ?? '';
    this.time = options.clock ?? new VirtualClock(options.epochMs ?? Date.now());
    this.queue = new WorkQueue(() => this.time.now());
  }

  /** Virtual time in ms since the epoch (what Date sees inside runs). */
  clock(): number {
    return this.time.now();
  }

  /** Moves virtual time forward; keys whose backoff expired are queued (not processed). */
  advance(ms: number): void {
    this.time.advanceTo(this.time.now() + Math.max(0, ms));
    this.queue.promoteDue(this.time.now());
  }

  /** The policy as jsPolicy re-reads it for every event and run. */
  policy(): JsPolicy {
    return (this.cluster.get(JSPOLICY_API_VERSION, 'JsPolicy', undefined, this.policyName) as JsPolicy | undefined) ?? this.fallbackPolicy;
  }

  watchedKinds(): ApiResource[] {
    return [...this.watched];
  }

  pending(): { queued: string[]; waiting: Array<{ key: string; dueMs: number }> } {
    return this.queue.snapshot();
  }

  /** Totals since construction. */
  stats(): ControllerStats {
    return { ...this.totals, errors: [...this.totals.errors], denials: [...this.totals.denials], settled: this.isSettled() };
  }

  private isSettled(): boolean {
    return this.queue.length === 0 && this.queue.nextDue() === undefined;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /** jsPolicy's hash of what restarts a controller policy with RequeueAll (bundle, resources, apiGroups, apiVersions). */
  private restartHash(policy: JsPolicy): string {
    const stored = (this.cluster.get(JSPOLICY_API_VERSION, 'JsPolicyBundle', undefined, this.policyName)?.spec as { bundle?: string } | undefined)?.bundle;
    return controllerPolicyHash(policy, stored);
  }

  /**
   * Resolves the watched kinds (a failure is jsPolicy's InitControllerPolicy: nothing is watched), subscribes
   * to the cluster's watch and enqueues every existing object of the watched kinds (RequeueAll).
   */
  start(): ControllerStartResult {
    if (!this.unsubscribe) this.unsubscribe = this.cluster.watch((event) => this.onEvent(event));
    this.started = true;
    return this.restart();
  }

  private restart(): ControllerStartResult {
    const policy = this.policy();
    this.startHash = this.restartHash(policy);
    if (policy.spec?.type !== 'Controller') {
      this.watched = [];
      this.startFailure = `error starting controller policy: js policy ${this.policyName} is not of type Controller`;
      return { ok: false, reason: 'InitControllerPolicy', message: this.startFailure };
    }
    const resolved = resolveWatchedKinds(policy, this.cluster);
    if (!resolved.ok) {
      this.watched = [];
      this.startFailure = `error starting controller policy: ${resolved.message}`;
      return { ok: false, reason: 'InitControllerPolicy', message: this.startFailure };
    }
    this.startFailure = undefined;
    this.watched = resolved.kinds;
    this.requeueAll();
    return { ok: true, watched: [...this.watched] };
  }

  /** Unsubscribes from the cluster; queued keys stay queued. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.started = false;
  }

  /** Enqueues every object of every watched kind, through the selectors. */
  requeueAll(): void {
    for (const kind of this.watched) {
      for (const object of this.cluster.list(apiVersionOf(kind.group, kind.version), kind.kind)) this.enqueueObject(kind, object);
    }
  }

  private watchedKindOf(object: KubeObject): ApiResource | undefined {
    const apiVersion = object.apiVersion ?? '';
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    return this.watched.find((kind) => kind.group === group && kind.kind === object.kind);
  }

  /** objectSelector on the object's labels; namespaceSelector on its Namespace's labels (namespaced objects only; unreadable Namespace → skipped). */
  private passesSelectors(policy: JsPolicy, kind: ApiResource, object: KubeObject): boolean {
    const spec = policy.spec ?? {};
    if (!matchesLabelSelector(spec.objectSelector, object.metadata?.labels ?? {})) return false;
    if (kind.namespaced && !isEmptySelector(spec.namespaceSelector)) {
      const namespace = this.cluster.get('v1', 'Namespace', undefined, object.metadata?.namespace ?? '');
      if (!namespace) return false;
      if (!matchesLabelSelector(spec.namespaceSelector, namespace.metadata?.labels ?? {})) return false;
    }
    return true;
  }

  private enqueueObject(kind: ApiResource, object: KubeObject): void {
    if (!this.passesSelectors(this.policy(), kind, object)) return;
    this.queue.add(
      formatKey({
        group: kind.group,
        version: kind.version,
        kind: kind.kind,
        namespace: kind.namespaced ? object.metadata?.namespace ?? '' : '',
        name: object.metadata?.name ?? '',
      }),
    );
  }

  /** Adds a key directly (as a watch event would). */
  enqueue(key: string): void {
    parseKey(key);
    this.queue.add(key);
  }

  private onEvent(event: WatchEvent): void {
    const object = event.object;
    const isOwnPolicy = object.kind === 'JsPolicy' && object.apiVersion === JSPOLICY_API_VERSION && object.metadata?.name === this.policyName;
    const isOwnBundle = object.kind === 'JsPolicyBundle' && object.apiVersion === JSPOLICY_API_VERSION && object.metadata?.name === this.policyName;
    if (this.options.managed) {
      // Restarts and stops are jsPolicy's reconcile's to decide (jspolicy/install.ts).
    } else if (isOwnPolicy && event.type === 'DELETED') {
      this.log(`[${this.policyName}]: js policy deleted, stopping controller`);
      this.deleted = true;
      this.stop();
      return;
    } else if (isOwnPolicy || isOwnBundle) {
      const hash = this.restartHash(this.policy());
      if (hash !== this.startHash) {
        const restarted = this.restart();
        if (!restarted.ok) this.log(`[${this.policyName}]: ${restarted.message}`);
      }
    }
    const kind = this.watchedKindOf(object);
    if (kind) this.enqueueObject(kind, object);
  }

  /** Processes one key now (taking it out of the queue): re-reads the object, builds the request, runs the policy, handles its answer. */
  process(key: string): ProcessResult {
    if (this.running) throw new Error('ControllerLoop.process: one run at a time');
    if (this.lost) return { key, result: 'hang', message: this.lost };
    this.queue.remove(key);
    this.running = true;
    try {
      return this.processKey(key);
    } finally {
      this.running = false;
    }
  }

  private count(update: (stats: ControllerStats) => void): void {
    update(this.totals);
    if (this.current) update(this.current);
  }

  private processKey(key: string): ProcessResult {
    const parsed = parseKey(key);
    const policy = this.policy();
    const spec = policy.spec ?? {};
    const apiVersion = apiVersionOf(parsed.group, parsed.version);
    let object: KubeObject | undefined;
    try {
      object = this.cluster.get(apiVersion, parsed.kind, parsed.namespace || undefined, parsed.name);
    } catch (error) {
      // The kind stopped being served (its CRD is gone): the informer has nothing to hand out.
      const message = `error reading ${parsed.kind} ${parsed.name}: ${(error as Error).message}`;
      this.log(`Error executing policy ${this.policyName}: ${message}`);
      this.count((s) => s.errors.push(message));
      this.queue.forget(key);
      return { key, result: 'error', message };
    }
    const request = buildControllerRequest(parsed, object);
    const operation = request.operation as 'CREATE' | 'DELETE';
    if (!matchesOperation(spec.operations, operation)) {
      this.queue.forget(key);
      return { key, operation, skipped: `operation ${operation} not in spec.operations` };
    }
    const displayName = `${parsed.kind} ${parsed.namespace ? `${parsed.namespace}/` : ''}${parsed.name}`;
    const script = resolvePolicyScript(policy, this.cluster);
    const outcome = script.ok
      ? runPolicyScript({
          policyName: this.policyName,
          javascript: script.javascript,
          request,
          timeoutSeconds: spec.timeoutSeconds ?? 10,
          cluster: this.cluster,
          access: this.options.access,
          log: this.options.log,
          now: () => this.clock(),
        })
      : ({ kind: 'error', message: script.error, durationMs: 0, v8: '' } as const);
    this.count((s) => {
      s.runs += 1;
      if (outcome.v8) s.v8 = outcome.v8;
    });

    if (outcome.kind === 'hang' || outcome.kind === 'crash') return this.lose(key, operation, outcome);
    const timing = 'engineMs' in outcome && outcome.engineMs ? { engineMs: outcome.engineMs } : {};
    if (outcome.kind === 'error') {
      this.log(`Error executing policy ${this.policyName}: ${outcome.message}`);
      this.count((s) => s.errors.push(`${displayName}: ${outcome.message}`));
      this.audit(policy, request, { code: 500, message: outcome.message });
      this.queue.forget(key);
      return { key, operation, result: 'error', message: outcome.message, ...timing };
    }
    const response = outcome.response;
    const warnings = response.warnings ?? [];
    for (const warning of warnings) this.log(`[${this.policyName}]: ${warning}`);
    if (response.deny) {
      const message = response.message ?? '';
      this.count((s) => s.denials.push(`${displayName}: ${message}`));
      this.audit(policy, request, { code: response.code && response.code > 0 ? response.code : 403, reason: response.reason || 'Forbidden', message });
      this.queue.forget(key);
      return { key, operation, result: 'deny', message, warnings, ...timing };
    }
    if (response.reschedule) {
      if (response.message) this.log(`[${this.policyName}]: Reschedule ${parsed.name} because of: ${response.message}`);
      this.count((s) => (s.requeues += 1));
      const delayMs = this.queue.addRateLimited(key);
      return { key, operation, result: 'requeue', message: response.message, warnings, delayMs, ...timing };
    }
    this.queue.forget(key);
    return { key, operation, result: 'allow', warnings, ...timing };
  }

  // jsPolicy gives a controller policy one worker goroutine: a run that never returns holds it for
  // good, and nothing of this policy runs again until jsPolicy restarts. A run that crashes jsPolicy
  // restarts it into the same object (CrashLoopBackOff): this loop stops there too.
  private lose(key: string, operation: 'CREATE' | 'DELETE', outcome: { kind: 'hang' | 'crash'; message: string }): ProcessResult {
    this.lost = outcome.message;
    this.log(`Error executing policy ${this.policyName}: ${outcome.message}`);
    this.count((s) => s.errors.push(outcome.message));
    return { key, operation, result: outcome.kind, message: outcome.message };
  }

  private audit(policy: JsPolicy, request: ReturnType<typeof buildControllerRequest>, result: { code: number; reason?: string; message: string }): void {
    if (policy.spec?.auditPolicy === 'Skip') return;
    const entry = buildViolation('Controller', request, result, this.clock());
    const written = recordViolation(this.cluster, policy, entry);
    if (!written.ok) this.log(`[${this.policyName}]: error recording violation: ${written.message}`);
  }

  /**
   * Processes keys until the queue and the delayed set are empty, advancing the virtual clock to the next
   * due key whenever the queue is otherwise empty. Starts the loop first if needed (a start failure comes
   * back in `errors`, unsettled).
   */
  runUntilSettled(options: SettleOptions = {}): ControllerStats {
    const stats = emptyStats();
    if (!this.started && !this.deleted) {
      const started = this.start();
      if (!started.ok) {
        stats.errors.push(started.message);
        return stats;
      }
    } else if (this.startFailure) {
      stats.errors.push(this.startFailure);
    }
    const maxRuns = options.maxRuns ?? 200;
    const limit = options.maxVirtualMs === undefined ? undefined : this.time.now() + options.maxVirtualMs;
    let processed = 0;
    this.current = stats;
    try {
      for (;;) {
        if (this.queue.length === 0) {
          const due = this.queue.nextDue();
          if (due === undefined) break;
          if (limit !== undefined && due > limit) break;
          this.time.advanceTo(due);
          this.queue.promoteDue(this.time.now());
          continue;
        }
        if (processed >= maxRuns || this.lost) break;
        const key = this.queue.pop() as string;
        this.process(key);
        processed += 1;
      }
    } finally {
      this.current = undefined;
    }
    stats.settled = this.isSettled();
    return stats;
  }
}
