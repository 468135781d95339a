import { TOOLKIT_GLOBAL, type Toolkit } from '../toolkit/api.ts';

/** The toolkit bundle's source, inlined by build.mjs as a string literal. */
declare const GPTPOLICY_TOOLKIT_SOURCE: string;

let loaded: Toolkit | undefined;

/**
 * Evaluates the toolkit on first use in this run. A string literal costs little to scan on the
 * no-op path; parsing the code it holds is paid only when a model has answered. Indirect eval
 * runs it in the global scope, where it assigns its one global.
 */
export function loadToolkit(): Toolkit {
  loaded ??= (0, eval)(`${GPTPOLICY_TOOLKIT_SOURCE}\n;${TOOLKIT_GLOBAL}`) as Toolkit;
  return loaded;
}
