// gptpolicy approve NAME [-n NAMESPACE] --hash HASH [--stage Warn|Deny]: the PolicyApproval (or, for
// a NamespacedGPTPolicy, the NamespacedPolicyApproval in its namespace) to create, as YAML for
// `kubectl create -f -`. Creating it is the privileged act (ClusterRole gptpolicy-approver, or
// gptpolicy-namespace-approver bound in that namespace); this only writes it down right.
import { stringify } from 'yaml';
import { API_VERSION } from '../../lib/gptpolicy/api.ts';
import { CLUSTER_INTENT, NAMESPACED_INTENT } from '../../lib/gptpolicy/kinds.ts';
import { isNamespaceName } from '../../lib/k8s/names.ts';
import { parseCommand } from './args.ts';
import type { CommandIo } from './io.ts';

const USAGE = `usage: gptpolicy approve NAME [-n NAMESPACE] --hash HASH [--stage Warn|Deny]

Prints the PolicyApproval that lets GPTPolicy NAME's policy run at --stage (default Deny), bound to
HASH, the GPTPolicy's status.rollout.specHash that you reviewed:
  gptpolicy approve deny-prod --hash "$(kubectl get gptp deny-prod -o jsonpath='{.status.rollout.specHash}')" | kubectl create -f -
With -n NAMESPACE, the NamespacedPolicyApproval in NAMESPACE for NamespacedGPTPolicy NAME there
(an approval counts only in its intent's own namespace):
  gptpolicy approve deny-prod -n team-a --hash "$(kubectl get ngptp deny-prod -n team-a -o jsonpath='{.status.rollout.specHash}')" | kubectl create -f -`;

/** A namespace name (an RFC 1123 label), or why not. */
export function namespaceProblem(namespace: string): string | undefined {
  return isNamespaceName(namespace)
    ? undefined
    : `-n/--namespace must be a namespace name (lower-case letters, digits and '-', 63 at most), got ${JSON.stringify(namespace)}`;
}

export async function approveCommand(argv: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommand(argv, { hash: { type: 'string' }, stage: { type: 'string', default: 'Deny' }, namespace: { type: 'string', short: 'n' } }, USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [name, ...extra] = positionals;
  const problem = !name || extra.length > 0
    ? 'NAME, the one GPTPolicy (or, with -n, NamespacedGPTPolicy) to approve, is required'
    : values.namespace !== undefined && namespaceProblem(values.namespace)
      ? namespaceProblem(values.namespace)
      : !/^[0-9a-f]{64}$/.test(values.hash ?? '')
        ? '--hash must be the 64 hex digits of the GPTPolicy\'s status.rollout.specHash'
        : values.stage !== 'Warn' && values.stage !== 'Deny'
          ? `--stage must be Warn or Deny, got ${JSON.stringify(values.stage)}`
          : undefined;
  if (problem) {
    io.stderr(`${problem}\n${USAGE}\n`);
    return 2;
  }
  io.stdout(stringify(policyApproval(name as string, values.stage as 'Warn' | 'Deny', values.hash as string, values.namespace)));
  return 0;
}

/**
 * The approval of intent `name`'s policy with hash `specHash` at `stage` (the CRDs fix its name): a
 * PolicyApproval, or with `namespace` the NamespacedPolicyApproval in that namespace.
 */
export function policyApproval(name: string, stage: 'Warn' | 'Deny', specHash: string, namespace?: string): Record<string, unknown> {
  const kind = namespace === undefined ? CLUSTER_INTENT.approvalKind : NAMESPACED_INTENT.approvalKind;
  const metadata = { name: `${name}.${stage.toLowerCase()}`, ...(namespace !== undefined ? { namespace } : {}) };
  return { apiVersion: API_VERSION, kind, metadata, spec: { gptPolicy: name, stage, specHash } };
}
