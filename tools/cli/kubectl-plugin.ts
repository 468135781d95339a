// kubectl-gptpolicy: the CLI as a kubectl plugin (krew's naming: an executable kubectl-gptpolicy on
// PATH makes `kubectl gptpolicy …`). It reads and writes the cluster through kubectl itself, with
// the user's own context and rights:
//   kubectl gptpolicy review NAME                  gptpolicy review of the GPTPolicy and its policy
//   kubectl gptpolicy approve NAME [--hash H] [--stage S]
//                                                  approve the hash reviewed (H), or the one it shows now
import { execFileSync } from 'node:child_process';
import { stringify } from 'yaml';
import { policyApproval } from './approve.ts';
import { parseCommand } from './args.ts';
import type { CommandIo } from './io.ts';
import { reviewCommand } from './review.ts';

const USAGE = `usage: kubectl gptpolicy review NAME
       kubectl gptpolicy approve NAME [--hash HASH] [--stage Warn|Deny]

review: what to judge before approving GPTPolicy NAME (gptpolicy review, reading the cluster); it
  ends with the approve commands for the hash it showed.
approve: creates the PolicyApproval (default --stage Deny) for HASH, the hash review showed, if
  NAME's status.rollout.specHash is still that (else it refuses: the policy changed since); without
  --hash, for the hash it shows now. Needs ClusterRole gptpolicy-approver.
kubectl is called as KUBECTL (default kubectl), with your context.`;

/** Runs kubectl with `args` (and `input` on its standard input); its stdout, or throws with its stderr. */
export type Kubectl = (args: string[], input?: string) => string;

const HASH = /^[0-9a-f]{64}$/;

export const runKubectl: Kubectl = (args, input) => {
  try {
    return execFileSync(process.env.KUBECTL || 'kubectl', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const error = e as { stderr?: string; message: string };
    throw new Error(`kubectl ${args.join(' ')}: ${(error.stderr || error.message).trim()}`);
  }
};

export async function kubectlPluginCommand(argv: string[], io: CommandIo, kubectl: Kubectl = runKubectl): Promise<number> {
  const parsed = parseCommand(argv, { hash: { type: 'string' }, stage: { type: 'string', default: 'Deny' } }, USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const [command, name, ...extra] = parsed.positionals;
  const problem =
    command !== 'review' && command !== 'approve'
      ? `unknown command ${JSON.stringify(command ?? '')}`
      : !name || extra.length > 0
        ? 'NAME, one GPTPolicy, is required'
        : parsed.values.stage !== 'Warn' && parsed.values.stage !== 'Deny'
          ? `--stage must be Warn or Deny, got ${JSON.stringify(parsed.values.stage)}`
          : parsed.values.hash !== undefined && command !== 'approve'
            ? '--hash is for approve only'
            : parsed.values.hash !== undefined && !HASH.test(parsed.values.hash)
              ? "--hash must be the 64 hex digits review showed (the GPTPolicy's status.rollout.specHash)"
              : undefined;
  if (problem) {
    io.stderr(`${problem}\n${USAGE}\n`);
    return 2;
  }
  try {
    if (command === 'review') {
      const gp = kubectl(['get', 'gptpolicies.gptpolicy.dev', name as string, '-o', 'yaml']);
      const policyName = kubectl(['get', 'gptpolicies.gptpolicy.dev', name as string, '-o', 'jsonpath={.status.policyName}']).trim();
      const policy = policyName ? kubectl(['get', 'jspolicies.policy.jspolicy.com,jspolicybundles.policy.jspolicy.com', policyName, '-o', 'yaml', '--ignore-not-found']) : '';
      return reviewCommand(['-'], io, async () => `${gp}\n---\n${policy}`, 'kubectl-plugin');
    }
    const hash = kubectl(['get', 'gptpolicies.gptpolicy.dev', name as string, '-o', 'jsonpath={.status.rollout.specHash}']).trim();
    if (!HASH.test(hash)) {
      io.stderr(`GPTPolicy ${name} shows no policy to approve (status.rollout.specHash is ${JSON.stringify(hash)}): see kubectl gptpolicy review ${name}\n`);
      return 1;
    }
    // What was reviewed, or nothing: a policy regenerated since the review is not approved unseen.
    if (parsed.values.hash !== undefined && parsed.values.hash !== hash) {
      io.stderr(`GPTPolicy ${name}'s policy changed since that review: it is now hash ${hash}, not ${parsed.values.hash}; review it again: kubectl gptpolicy review ${name}\n`);
      return 1;
    }
    io.stdout(kubectl(['create', '-f', '-'], stringify(policyApproval(name as string, parsed.values.stage as 'Warn' | 'Deny', hash))));
    io.stdout(`approved hash ${hash} of GPTPolicy ${name} for ${parsed.values.stage}\n`);
    return 0;
  } catch (e) {
    io.stderr(`kubectl gptpolicy: ${(e as Error).message}\n`);
    return 1;
  }
}
