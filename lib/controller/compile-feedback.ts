import { OWNER_LABEL, OWNER_NAME_ANNOTATION, OWNER_NAMESPACE_LABEL } from '../gptpolicy/api.ts';
import { CLUSTER_INTENT, NAMESPACED_INTENT, objectKey } from '../gptpolicy/kinds.ts';
import type { GPTPolicy } from '../gptpolicy/types.ts';
import type { JsPolicy } from '../k8s/types.ts';

/**
 * The name of the intent a generated JsPolicy belongs to, by our marks (the ownerReference or uid is
 * checked later): in full from the annotation when the label had to be shortened, else the label.
 */
export function ownerOf(policy: JsPolicy): string | undefined {
  return policy.metadata.annotations?.[OWNER_NAME_ANNOTATION] || policy.metadata.labels?.[OWNER_LABEL] || undefined;
}

/**
 * The intent a generated JsPolicy belongs to, by our labels, as get() reads it: a NamespacedGPTPolicy
 * when the policy names its owner's namespace. Ownership itself is checked later (isOwnedBy).
 */
export function ownerKeyOf(policy: JsPolicy): { kind: GPTPolicy['kind']; key: string } | undefined {
  const name = ownerOf(policy);
  if (!name) return undefined;
  const namespace = policy.metadata.labels?.[OWNER_NAMESPACE_LABEL];
  return namespace ? { kind: NAMESPACED_INTENT.kind, key: objectKey(namespace, name) } : { kind: CLUSTER_INTENT.kind, key: name };
}

/**
 * jsPolicy's compile error for the policy's current spec, cut to its headline (compileHeadline), or
 * undefined. jsPolicy writes BundleCompiled=False/CompileFailed asynchronously after our create();
 * observedGeneration tells whether that verdict is about the spec we last wrote.
 */
export function compileFailure(policy: JsPolicy): string | undefined {
  const status = policy.status;
  if (!status || status.observedGeneration !== policy.metadata.generation) return undefined;
  const compiled = status.conditions?.find((c) => c.type === 'BundleCompiled');
  if (compiled?.status !== 'False' || compiled.reason !== 'CompileFailed') return undefined;
  return compileHeadline(compiled.message || status.message || '');
}

const MAX_HEADLINE = 300;
const BUNDLING = /^error bundling javascript:\s*/;
// webpack's lines that say what went wrong, in the order they are worth more than the others.
const ERROR_LINE = /^(?:Module parse failed|Module not found|Module build failed|SyntaxError|Error):/;

/**
 * One line of jsPolicy's compile output, never a code frame. That output is webpack's: it quotes
 * the lines around the error of whatever module webpack read, and a model-written `require()` hidden
 * from V8 behind `<!--` makes webpack read any file of jsPolicy's pod (its service-account token
 * among them). So only one line goes on, to the status and to the model: the first line of the
 * form "Module parse failed: Unexpected token (1:4)", else the first line that is no code frame and
 * names no module path (webpack-cli's summary lines, "the command … timed out after 30s"). What a
 * parser message itself quotes stays: a character or an identifier, never a line.
 */
export function compileHeadline(output: string): string {
  const lines = output
    .replace(BUNDLING, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !isCodeFrame(line));
  const found = lines.find((line) => ERROR_LINE.test(line)) ?? lines.find((line) => !/^(?:ERROR|WARNING) in /.test(line) && !/^assets? by /.test(line)) ?? 'no message';
  // A JSON module's parse error quotes the text around the error ("… while parsing near '…'").
  const headline = found.replace(/ while parsing\b.*$/, '');
  return headline.length > MAX_HEADLINE ? `${headline.slice(0, MAX_HEADLINE - 1)}…` : headline;
}

// webpack's code frame: "> source line", "| source line", "  12 | source line", "     ^".
function isCodeFrame(line: string): boolean {
  return /^(?:>|\||\d+\s*\||\^)/.test(line);
}
