import { DEFAULT_SECRET_NAME, parseConfig, type ConfigResult } from '../controller/config.ts';
import type { Platform } from './platform.ts';
import { describeThrown } from './platform.ts';

const NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

interface SecretObject {
  data?: Record<string, string>;
}

/** jsPolicy's namespace: KUBE_NAMESPACE as jsPolicy itself reads it, else the pod's own. */
export function jsPolicyNamespace(platform: Pick<Platform, 'env' | 'readFile'>): string {
  return platform.env('KUBE_NAMESPACE').trim() || platform.readFile(NAMESPACE_FILE)?.trim() || 'jspolicy';
}

/**
 * Reads the configuration when a model call is due. The Secret is read uncached: a cached get
 * would keep an informer over every Secret of the cluster in jsPolicy's memory.
 */
export function readConfig(platform: Platform, specModel: string | undefined): ConfigResult {
  const namespace = jsPolicyNamespace(platform);
  const secretName = platform.env('GPTPOLICY_SECRET').trim() || DEFAULT_SECRET_NAME;
  let secret: SecretObject | undefined;
  try {
    secret = platform.getUncached<SecretObject>('Secret', 'v1', `${namespace}/${secretName}`);
  } catch (thrown) {
    return { ok: false, reason: 'BadConfig', message: `cannot read Secret ${namespace}/${secretName}: ${describeThrown(thrown)}` };
  }
  const data = secret ? decodeData(secret.data ?? {}) : undefined;
  return parseConfig(platform.env, data, { secretName, namespace, specModel });
}

function decodeData(data: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) decoded[key] = atob(value) ?? '';
  return decoded;
}
