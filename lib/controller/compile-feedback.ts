import { OWNER_LABEL } from '../gptpolicy/api.ts';
import type { JsPolicy } from '../k8s/types.ts';

/** The GPTPolicy a generated JsPolicy belongs to, by our label (the ownerReference is checked later). */
export function ownerOf(policy: JsPolicy): string | undefined {
  return policy.metadata.labels?.[OWNER_LABEL] || undefined;
}

/**
 * jsPolicy's compile error for the policy's current spec, or undefined. jsPolicy writes
 * BundleCompiled=False/CompileFailed asynchronously after our create(); observedGeneration tells
 * whether that verdict is about the spec we last wrote.
 */
export function compileFailure(policy: JsPolicy): string | undefined {
  const status = policy.status;
  if (!status || status.observedGeneration !== policy.metadata.generation) return undefined;
  const compiled = status.conditions?.find((c) => c.type === 'BundleCompiled');
  if (compiled?.status !== 'False' || compiled.reason !== 'CompileFailed') return undefined;
  return (compiled.message || status.message || 'no message').slice(0, 2000);
}
