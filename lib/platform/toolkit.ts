import { TOOLKIT_GLOBAL, type Toolkit } from '../toolkit/api.ts';
import { loadCodeFrom, type CodeInConfigMap } from './code-configmap.ts';

/**
 * The toolkit (linter, acorn, sandbox, ses: ~450 KiB) is read (uncached) and evaluated only by
 * runs that check, preview or verify.
 */
export const TOOLKIT_CODE: CodeInConfigMap = { configMap: 'gptpolicy-toolkit', key: 'toolkit.js', global: TOOLKIT_GLOBAL, what: 'the toolkit' };
export const TOOLKIT_CONFIGMAP = TOOLKIT_CODE.configMap;

export function loadToolkitFrom(read: () => { data?: Record<string, string> } | undefined, namespace: string, expectedSha256: string): Toolkit {
  return loadCodeFrom<Toolkit>(read, namespace, TOOLKIT_CODE, expectedSha256);
}
