import { TOOLKIT_GLOBAL, type Toolkit } from '../toolkit/api.ts';
import { sha256Hex } from '../util/sha256.ts';


/** The ConfigMap, in jsPolicy's namespace, that carries the toolkit (manifests/gptpolicy-controller.yaml). */
export const TOOLKIT_CONFIGMAP = 'gptpolicy-toolkit';
export const TOOLKIT_KEY = 'toolkit.js';

/**
 * The toolkit (linter, acorn, sandbox, ses: ~450 KiB) is not in the controller's script at all:
 * jsPolicy compiles the whole script on every event, so it lives in a ConfigMap and is read
 * (uncached) and evaluated only by runs that check, preview or verify. It runs with jsPolicy's
 * rights, so it must be exactly the code this controller was built with: the sha256 baked into the
 * bundle is checked before anything is evaluated.
 */
export function loadToolkitFrom(read: () => { data?: Record<string, string> } | undefined, namespace: string, expectedSha256: string): Toolkit {
  const where = `ConfigMap ${namespace}/${TOOLKIT_CONFIGMAP}`;
  const source = read()?.data?.[TOOLKIT_KEY];
  if (source === undefined) throw new Error(`${where} (key ${TOOLKIT_KEY}) is missing: apply manifests/gptpolicy-controller.yaml`);
  const hash = sha256Hex(source);
  if (hash !== expectedSha256) {
    throw new Error(`${where} is not the toolkit this controller was built with (sha256 ${hash.slice(0, 12)}, expected ${expectedSha256.slice(0, 12)}): apply manifests/gptpolicy-controller.yaml of one build`);
  }
  // Indirect eval: global scope, where the bundle assigns its one global.
  return (0, eval)(`${source}\n;${TOOLKIT_GLOBAL}`) as Toolkit;
}
