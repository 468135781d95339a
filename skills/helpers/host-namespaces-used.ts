import type { K8sObject } from '../types.ts';
import { podSpecOf } from './pod-spec-of.ts';
import { ownValue } from './own-value.ts';

/**
 * Which host namespaces a pod-bearing object shares: any of "hostNetwork", "hostPID", "hostIPC" set to true.
 *
 * The Pod Security Standards' baseline "Host Namespaces" control (check hostNamespaces): only false or
 * unset is allowed. Kinds as podSpecOf; [] when none is shared or there is no pod spec.
 */
export function hostNamespacesUsed(obj: K8sObject): string[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  return ['hostNetwork', 'hostPID', 'hostIPC'].filter((field) => ownValue(spec, field) === true);
}
