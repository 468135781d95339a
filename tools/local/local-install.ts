// A cluster with jsPolicy running and nothing of ours: what `kubectl apply` of the release meets. Every
// Controller JsPolicy applied is started (or not) by jsPolicy's reconcile, as jsPolicy does it
// (tools/runtime/jspolicy/controller-sync.ts), so the order objects arrive in matters as it does there.
import type { KubeObject } from '../../lib/k8s/types.ts';
import { InMemoryCluster } from '../runtime/apiserver/index.ts';
import { settleAll, type ControllerStats, type SettleOptions } from '../runtime/controller/index.ts';
import { VirtualClock } from '../runtime/controller/loop.ts';
import { installJsPolicy, type JsPolicyInstallation } from '../runtime/jspolicy/index.ts';
import { apiKeySecret, JSPOLICY_NAMESPACE, JSPOLICY_USER, LOCAL_SA_TOKEN, podAccess } from './local-jspolicy.ts';

export interface LocalInstallOptions {
  /** jsPolicy's namespace (created here, with the API key Secret when apiKey is given). */
  namespace?: string;
  apiKey?: string;
  env?: Record<string, string>;
  /** Objects in the cluster before jsPolicy starts (an apply made while jsPolicy was down). */
  objects?: KubeObject[];
  epochMs?: number;
  log?: (line: string) => void;
}

export class LocalInstall {
  readonly cluster: InMemoryCluster;
  readonly clock: VirtualClock;
  readonly jsPolicy: JsPolicyInstallation;

  constructor(options: LocalInstallOptions = {}) {
    const namespace = options.namespace ?? JSPOLICY_NAMESPACE;
    this.clock = new VirtualClock(options.epochMs ?? Date.now());
    this.cluster = new InMemoryCluster({ now: () => this.clock.now(), serviceAccountToken: LOCAL_SA_TOKEN, httpUser: { username: JSPOLICY_USER } });
    must(this.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }));
    if (options.apiKey !== undefined) must(this.cluster.create(apiKeySecret(options.apiKey, namespace)));
    for (const object of options.objects ?? []) must(this.cluster.create(object));
    this.jsPolicy = installJsPolicy(this.cluster, { log: options.log, controllers: { clock: this.clock, access: podAccess({ env: options.env }, namespace) } });
  }

  /** `kubectl apply` of one object: created, or its stored version replaced (status kept). */
  apply(object: KubeObject): KubeObject {
    const existing = this.cluster.get(object.apiVersion, object.kind, object.metadata.namespace, object.metadata.name ?? '');
    const result = existing ? this.cluster.update({ ...object, metadata: { ...object.metadata, resourceVersion: existing.metadata.resourceVersion } }) : this.cluster.create(object);
    return must(result);
  }

  /**
   * Runs every controller jsPolicy is running — a set that changes as they install others — until none has
   * work (maxVirtualMs bounds how far requeue() backoff may move the clock, for a controller that waits).
   */
  settle(options: SettleOptions = {}): ControllerStats {
    return settleAll(() => this.jsPolicy.controllerLoops(), options, options.maxRuns ?? 400);
  }

  /** Names of the controller policies jsPolicy runs now. */
  running(): string[] {
    return this.jsPolicy.controllerLoops().map((loop) => loop.policy().metadata.name ?? '').sort();
  }
}

function must(result: ReturnType<InMemoryCluster['create']>): KubeObject {
  if (!result.ok) throw new Error(`${result.reason || 'Error'}: ${result.message}`);
  return result.object;
}
