// A whole jsPolicy installation in one process: the in-memory API server with our CRDs, jsPolicy's
// validation webhook and reconcile, the built controller bundle running as a Controller policy, and
// the pod environment it would see (service-account token, API server address). The CLI's
// `generate` and the controller scenario tests both drive the built bundle through this.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import { InMemoryCluster } from '../runtime/apiserver/index.ts';
import type { Cluster, HostAccess } from '../runtime/contracts.ts';
import { ControllerLoop, VirtualClock, settleAll, type ControllerStats, type SettleOptions } from '../runtime/controller/index.ts';
import { installJsPolicy } from '../runtime/jspolicy/index.ts';
import { countingWrites, type WriteCounter } from './count-writes.ts';
import { repoFile } from './paths.ts';
import { withBundledCode, type JsPolicyBundle } from '../../lib/controller/apply.ts';
import { JSPOLICY_API_VERSION } from '../../lib/gptpolicy/api.ts';

export const JSPOLICY_NAMESPACE = 'jspolicy';
export const SECRET_NAME = 'gptpolicy-openai';
const API_HOST = '10.96.0.1';
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const SA_TOKEN = 'local-service-account-token';

export interface LocalJsPolicyOptions {
  /** The model's API key; the Secret the controller reads is created only when it is given. */
  apiKey?: string;
  /** The jsPolicy container's environment (OPENAI_BASE_URL, OPENAI_MODEL, GPTPOLICY_*). */
  env?: Record<string, string>;
  /** Let fetchSync reach hosts off the loopback (the CLI against a real endpoint); tests never do. */
  allowNetwork?: boolean;
  /** Objects to preload: CRDs, Namespaces, anything a policy would find. */
  objects?: KubeObject[];
  /** PolicySkills to install (the starter library is manifests/gptpolicy-skills.yaml); the controller verifies them. */
  skills?: KubeObject[];
  /** Overrides of the controller JsPolicy's spec (e.g. a shorter timeoutSeconds in a test). */
  controllerSpec?: Partial<JsPolicy['spec']>;
  /**
   * Run the bookkeeping controller beside it, as the manifest installs it (default). false: the
   * generation controller alone (the prototype's bench, or the one-controller reference with
   * controllerSpec.resources widened to every kind).
   */
  bookkeeping?: boolean;
  /** Start of the virtual clock. */
  epochMs?: number;
  log?: (line: string) => void;
}

export function readYamlObjects(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      return doc.toJS() as KubeObject | null;
    })
    .filter((o): o is KubeObject => o !== null && typeof o === 'object');
}

export const CONTROLLER_POLICY = 'gptpolicy-controller.gptpolicy.dev';
export const BOOKKEEPER_POLICY = 'gptpolicy-bookkeeper.gptpolicy.dev';

/** The starter skill library as `npm run build` wrote it. */
export function builtSkills(): KubeObject[] {
  return readYamlObjects(repoFile('manifests/gptpolicy-skills.yaml'));
}

/** What `npm run build` wrote into the controller manifest that a cluster runs: the toolkit ConfigMap and our JsPolicies. */
function builtController(): { configMaps: KubeObject[]; policies: JsPolicy[] } {
  const file = repoFile('manifests/gptpolicy-controller.yaml');
  const objects = readYamlObjects(file);
  const policies = objects.filter((o): o is JsPolicy => o.kind === 'JsPolicy');
  if (!policies.some((p) => p.metadata.name === CONTROLLER_POLICY)) throw new Error(`${file} has no JsPolicy ${CONTROLLER_POLICY}: run npm run build first`);
  return { configMaps: objects.filter((o) => o.kind === 'ConfigMap'), policies };
}

/** The toolkit bundle as the controller manifest ships it (ConfigMap gptpolicy-toolkit). */
export function builtToolkitSource(): string {
  const toolkit = builtController().configMaps.find((c) => c.metadata?.name === 'gptpolicy-toolkit') as { data?: Record<string, string> } | undefined;
  const source = toolkit?.data?.['toolkit.js'];
  if (!source) throw new Error(`${repoFile('manifests/gptpolicy-controller.yaml')} has no ConfigMap gptpolicy-toolkit: run npm run build first`);
  return source;
}

/** The JsPolicies `npm run build` wrote: the controller and our hand-written admission policies. */
export function builtPolicies(): JsPolicy[] {
  return builtController().policies;
}

export class LocalJsPolicy {
  readonly cluster: InMemoryCluster;
  /** The generation controller: the only one that calls the model. */
  readonly loop: ControllerLoop;
  /** Every controller policy running, the generation controller first; one virtual clock for all. */
  readonly loops: ControllerLoop[];
  /** Writes the controller made (object writes and status PUTs), counted as the API server saw them. */
  readonly writes: WriteCounter;

  constructor(options: LocalJsPolicyOptions = {}) {
    this.cluster = new InMemoryCluster({ now: () => this.loop?.clock() ?? Date.now(), serviceAccountToken: SA_TOKEN, httpUser: { username: JSPOLICY_USER } });
    installJsPolicy(this.cluster, {});
    for (const crd of readYamlObjects(repoFile('manifests/gptpolicy-crds.yaml'))) must(this.cluster.create(crd));
    must(this.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: JSPOLICY_NAMESPACE } }));
    if (options.apiKey !== undefined) must(this.cluster.create(apiKeySecret(options.apiKey)));
    // The controller manifest (≈500 KiB with the toolkit) is parsed once per installation.
    const { configMaps, policies: built } = builtController();
    const runs = (p: JsPolicy): boolean => p.spec.type === 'Controller' && (p.metadata.name === CONTROLLER_POLICY || options.bookkeeping !== false);
    for (const configMap of configMaps) must(this.cluster.create(configMap));
    for (const other of built.filter((p) => p.spec.type !== 'Controller')) must(this.cluster.create(other));
    const controller = built.find((p) => p.metadata.name === CONTROLLER_POLICY) as JsPolicy;
    const controllers = [{ ...controller, spec: { ...controller.spec, ...options.controllerSpec } }, ...built.filter((p) => runs(p) && p.metadata.name !== CONTROLLER_POLICY)];
    for (const policy of controllers) must(this.cluster.create(policy));
    // The user's objects come after ours, as they would in a cluster where gptpolicy is installed.
    for (const object of sortForCreate(options.objects ?? [])) must(this.cluster.create(object));
    // Every API server creates it (the system namespaces controller); the Events of cluster-scoped objects go there.
    if (!this.cluster.get('v1', 'Namespace', undefined, 'default')) must(this.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }));
    for (const skill of options.skills ?? []) must(this.cluster.create(skill));
    const counted = countingWrites(this.cluster, JSPOLICY_USER);
    this.writes = counted.counter;
    const clock = new VirtualClock(options.epochMs ?? Date.now());
    this.loops = controllers.map((policy) => new ControllerLoop({ cluster: counted.cluster, policy, access: podAccess(options), log: options.log, clock }));
    this.loop = this.loops[0] as ControllerLoop;
    for (const loop of this.loops) {
      const started = loop.start();
      if (!started.ok) throw new Error(`controller ${loop.policy().metadata.name} did not start: ${started.message}`);
    }
  }

  /**
   * Runs the controllers until nothing is queued or waiting in any of them: each in turn until it
   * settles, as long as one of them still had work (one's writes are the other's events).
   */
  settle(options: SettleOptions = {}): ControllerStats {
    return settleAll(() => this.loops, options, options.maxRuns ?? 200);
  }

  apply(object: KubeObject): KubeObject {
    const existing = this.cluster.get(object.apiVersion, object.kind, object.metadata.namespace, object.metadata.name ?? '');
    const result = existing
      ? this.cluster.update({ ...object, metadata: { ...object.metadata, resourceVersion: existing.metadata.resourceVersion } })
      : this.cluster.create(object);
    return must(result);
  }

  /** A policy as jsPolicy runs it: with its code read back from its JsPolicyBundle when it is precompiled ('' when there is none). */
  appliedPolicy(name: string): JsPolicy | undefined {
    const policy = this.get<JsPolicy>(JSPOLICY_API_VERSION, 'JsPolicy', name);
    if (!policy) return undefined;
    return withBundledCode(policy, () => this.get<JsPolicyBundle>(JSPOLICY_API_VERSION, 'JsPolicyBundle', name)) ?? { ...policy, spec: { ...policy.spec, javascript: '' } };
  }

  get<T extends KubeObject>(apiVersion: string, kind: string, name: string, namespace?: string): T | undefined {
    return this.cluster.get(apiVersion, kind, namespace, name) as T | undefined;
  }
}

/** The user jsPolicy's natives write as. */
export const JSPOLICY_USER = `system:serviceaccount:${JSPOLICY_NAMESPACE}:serviceaccount`;

/** What jsPolicy's pod gives a policy run: the API server's address, the service account's token and namespace. */
export function podAccess(options: Pick<LocalJsPolicyOptions, 'allowNetwork' | 'env'>, namespace = JSPOLICY_NAMESPACE): HostAccess {
  return {
    apiServerUrls: [`https://${API_HOST}:443`],
    allowNetwork: options.allowNetwork ?? false,
    env: { KUBERNETES_SERVICE_HOST: API_HOST, KUBERNETES_SERVICE_PORT: '443', ...options.env },
    files: { [`${SA_DIR}/token`]: SA_TOKEN, [`${SA_DIR}/namespace`]: namespace },
  };
}

/** The model's API key, as step 2 of the README's install creates it. */
export function apiKeySecret(apiKey: string, namespace = JSPOLICY_NAMESPACE): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: SECRET_NAME, namespace }, type: 'Opaque', data: { OPENAI_API_KEY: Buffer.from(apiKey).toString('base64') } };
}

/** The pod's service-account token, which the in-memory API server accepts from a policy's fetchSync. */
export const LOCAL_SA_TOKEN = SA_TOKEN;

// CRDs before their objects, Namespaces before what lives in them.
function sortForCreate(objects: KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject): number => (o.kind === 'CustomResourceDefinition' ? 0 : o.kind === 'Namespace' ? 1 : 2);
  return [...objects].sort((a, b) => rank(a) - rank(b));
}

function must(result: ReturnType<Cluster['create']>): KubeObject {
  if (!result.ok) throw new Error(`${result.reason || 'Error'}: ${result.message}`);
  return result.object;
}

