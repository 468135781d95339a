import { sha256Hex } from '../util/sha256.ts';

/** Code shipped in a ConfigMap of jsPolicy's namespace (manifests/gptpolicy-controller.yaml). */
export interface CodeInConfigMap {
  configMap: string;
  key: string;
  /** The one global the bundle assigns (esbuild's globalName). */
  global: string;
  /** What it is, for errors: "the toolkit". */
  what: string;
}

/**
 * Reads and evaluates code the controller does not carry in its own script (jsPolicy compiles the
 * whole script on every event, so what only some runs need lives in a ConfigMap). It runs with
 * jsPolicy's rights, so it must be exactly the code this controller was built with: the sha256
 * baked into the bundle is checked before anything is evaluated.
 */
export function loadCodeFrom<T>(read: () => { data?: Record<string, string> } | undefined, namespace: string, code: CodeInConfigMap, expectedSha256: string): T {
  const where = `ConfigMap ${namespace}/${code.configMap}`;
  const source = read()?.data?.[code.key];
  if (source === undefined) throw new Error(`${where} (key ${code.key}) is missing: apply manifests/gptpolicy-controller.yaml`);
  const hash = sha256Hex(source);
  if (hash !== expectedSha256) {
    throw new Error(`${where} is not ${code.what} this controller was built with (sha256 ${hash.slice(0, 12)}, expected ${expectedSha256.slice(0, 12)}): apply manifests/gptpolicy-controller.yaml of one build`);
  }
  // Indirect eval: global scope, where the bundle assigns its one global.
  return (0, eval)(`${source}\n;${code.global}`) as T;
}
