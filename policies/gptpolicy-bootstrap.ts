// The bootstrap controller: installs our controller JsPolicies and the starter skills once every CRD
// of the release is Established (lib/install/), so that the release applies in one go, in any order.
// It watches only kinds that are served whenever jsPolicy runs, so jsPolicy always starts it.
import type { KubeObject } from '../lib/k8s/types.ts';
import type { InstallManifest } from '../lib/install/plan.ts';
import { runInstall } from '../lib/install/run.ts';
import { jsPolicyNamespace } from '../lib/platform/read-config.ts';

/** The release this bootstrap installs: its CRDs and payload ConfigMaps with their sha256 (build.mjs defines it). */
declare const GPTPOLICY_INSTALL: InstallManifest;

runInstall(
  {
    namespace: jsPolicyNamespace({ env, readFile: readFileSync }),
    self: __policy,
    getCached: (kind, apiVersion, name) => get<KubeObject>(kind, apiVersion, name),
    getUncached: (kind, apiVersion, name) => get<KubeObject>(kind, apiVersion, name, { cache: false }),
    listUncached: (kind, apiVersion) => list<KubeObject>(kind, apiVersion, { cache: false }) ?? [],
    create: (object) => create(object),
    update: (object) => update(object),
    remove: (object) => remove(object),
    log: (message) => print(message),
    requeue: (message) => requeue(message),
  },
  GPTPOLICY_INSTALL,
);
