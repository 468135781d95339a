import type { ActionResult } from '../k8s/types.ts';
import type { Toolkit } from '../toolkit/api.ts';
import { loadToolkitFrom, TOOLKIT_CONFIGMAP } from './toolkit.ts';
import { jsPolicyNamespace } from './read-config.ts';

/**
 * The one seam between our decisions and jsPolicy's host functions. The controller entry binds
 * it to jsPolicy's globals; unit tests pass plain objects.
 */
export interface Platform {
  now(): number;
  env(name: string): string;
  readFile(path: string): string | undefined;
  /** An uncached read: cached reads start a cluster-wide informer in jsPolicy's memory. */
  getUncached<T>(kind: string, apiVersion: string, name: string): T | undefined;
  /** An uncached list; [] when nothing matches (jsPolicy's list() answers undefined then). */
  listUncached<T>(kind: string, apiVersion: string, namespace?: string): T[];
  create<T>(object: T): ActionResult<T>;
  update<T>(object: T): ActionResult<T>;
  /** DELETE: only a NamespacedGPTPolicy's policy and bundle, which no garbage collector removes (removal.ts). */
  remove<T>(object: T): ActionResult<T>;
  /** Throws a string on a transport error, like jsPolicy's fetchSync. */
  fetch(url: string, options: FetchSyncOptions): FetchSyncResponse;
  log(level: 'info' | 'error', message: string, fields?: Record<string, unknown>): void;
  /** Ends the run; jsPolicy runs the object again after its (short) backoff. */
  requeue(message: string): never;
  /** The generation toolkit (linter, sandbox): loaded on the runs that need it; throws when it cannot be. */
  toolkit(): Toolkit;
}

/** sha256 of the toolkit this controller was built with (build.mjs defines it). */
declare const GPTPOLICY_TOOLKIT_SHA256: string;

/** Binds the Platform to the globals jsPolicy defines in every run. */
export function jsPolicyPlatform(): Platform {
  let toolkit: Toolkit | undefined;
  const platform: Platform = {
    now: () => Date.now(),
    env: (name) => env(name),
    readFile: (path) => readFileSync(path),
    getUncached: <T>(kind: string, apiVersion: string, name: string) => get<T>(kind, apiVersion, name, { cache: false }),
    listUncached: <T>(kind: string, apiVersion: string, namespace?: string) => list<T>(kind, apiVersion, { cache: false, ...(namespace ? { namespace } : {}) }) ?? [],
    create: (object) => create(object),
    update: (object) => update(object),
    remove: (object) => remove(object),
    fetch: (url, options) => fetchSync(url, options),
    log: (level, message, fields) => print(JSON.stringify({ level, msg: message, ...fields })),
    requeue: (message) => requeue(message),
    toolkit: () => {
      const namespace = jsPolicyNamespace(platform);
      toolkit ??= loadToolkitFrom(() => get(`ConfigMap`, 'v1', `${namespace}/${TOOLKIT_CONFIGMAP}`, { cache: false }), namespace, GPTPOLICY_TOOLKIT_SHA256);
      return toolkit;
    },
  };
  return platform;
}

export { describeThrown } from '../util/thrown.ts';
