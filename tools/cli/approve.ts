// gptpolicy approve NAME --hash HASH [--stage Warn|Deny]: the PolicyApproval to create, as YAML for
// `kubectl create -f -`. Creating it is the privileged act (ClusterRole gptpolicy-approver); this
// only writes it down right.
import { stringify } from 'yaml';
import { API_VERSION } from '../../lib/gptpolicy/api.ts';
import { parseCommand } from './args.ts';
import type { CommandIo } from './io.ts';

const USAGE = `usage: gptpolicy approve NAME --hash HASH [--stage Warn|Deny]

Prints the PolicyApproval that lets GPTPolicy NAME's policy run at --stage (default Deny), bound to
HASH, the GPTPolicy's status.rollout.specHash that you reviewed:
  gptpolicy approve deny-prod --hash "$(kubectl get gptp deny-prod -o jsonpath='{.status.rollout.specHash}')" | kubectl create -f -`;

export async function approveCommand(argv: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommand(argv, { hash: { type: 'string' }, stage: { type: 'string', default: 'Deny' } }, USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [name] = positionals;
  const problem = !name
    ? 'NAME, the GPTPolicy to approve, is required'
    : !/^[0-9a-f]{64}$/.test(values.hash ?? '')
      ? '--hash must be the 64 hex digits of the GPTPolicy\'s status.rollout.specHash'
      : values.stage !== 'Warn' && values.stage !== 'Deny'
        ? `--stage must be Warn or Deny, got ${JSON.stringify(values.stage)}`
        : undefined;
  if (problem) {
    io.stderr(`${problem}\n${USAGE}\n`);
    return 2;
  }
  io.stdout(stringify(policyApproval(name as string, values.stage as 'Warn' | 'Deny', values.hash as string)));
  return 0;
}

/** The PolicyApproval of GPTPolicy `name`'s policy with hash `specHash` at `stage` (the CRD fixes its name). */
export function policyApproval(name: string, stage: 'Warn' | 'Deny', specHash: string): Record<string, unknown> {
  return { apiVersion: API_VERSION, kind: 'PolicyApproval', metadata: { name: `${name}.${stage.toLowerCase()}` }, spec: { gptPolicy: name, stage, specHash } };
}
