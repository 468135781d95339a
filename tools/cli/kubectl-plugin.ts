// kubectl-gptpolicy: the CLI as a kubectl plugin (krew's naming: an executable kubectl-gptpolicy on
// PATH makes `kubectl gptpolicy …`). It reads and writes the cluster through kubectl itself, with
// the user's own context and rights:
//   kubectl gptpolicy review NAME                  gptpolicy review of the GPTPolicy and its policy
//   kubectl gptpolicy approve NAME [--stage S]     approve the hash the GPTPolicy shows now
import { execFileSync } from 'node:child_process';
import { stringify } from 'yaml';
import { policyApproval } from './approve.ts';
import { parseCommand } from './args.ts';
import type { CommandIo } from './io.ts';
import { reviewCommand } from './review.ts';

const USAGE = `usage: kubectl gptpolicy review NAME
       kubectl gptpolicy approve NAME [--stage Warn|Deny]

review: what to judge before approving GPTPolicy NAME (gptpolicy review, reading the cluster).
approve: creates the PolicyApproval for the hash NAME's status shows now (status.rollout.specHash);
  run review first: the hash is what you approve. Needs ClusterRole gptpolicy-approver.
kubectl is called as KUBECTL (default kubectl), with your context.`;

/** Runs kubectl with `args` (and `input` on its standard input); its stdout, or throws with its stderr. */
export type Kubectl = (args: string[], input?: string) => string;

export const runKubectl: Kubectl = (args, input) => {
  try {
    return execFileSync(process.env.KUBECTL || 'kubectl', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const error = e as { stderr?: string; message: string };
    throw new Error(`kubectl ${args.join(' ')}: ${(error.stderr || error.message).trim()}`);
  }
};

export async function kubectlPluginCommand(argv: string[], io: CommandIo, kubectl: Kubectl = runKubectl): Promise<number> {
  const parsed = parseCommand(argv, { stage: { type: 'string', default: 'Deny' } }, USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const [command, name, ...extra] = parsed.positionals;
  const problem =
    command !== 'review' && command !== 'approve'
      ? `unknown command ${JSON.stringify(command ?? '')}`
      : !name || extra.length > 0
        ? 'NAME, one GPTPolicy, is required'
        : parsed.values.stage !== 'Warn' && parsed.values.stage !== 'Deny'
          ? `--stage must be Warn or Deny, got ${JSON.stringify(parsed.values.stage)}`
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
      return reviewCommand(['-'], io, async () => `${gp}\n---\n${policy}`);
    }
    const hash = kubectl(['get', 'gptpolicies.gptpolicy.dev', name as string, '-o', 'jsonpath={.status.rollout.specHash}']).trim();
    if (!/^[0-9a-f]{64}$/.test(hash)) {
      io.stderr(`GPTPolicy ${name} shows no policy to approve (status.rollout.specHash is ${JSON.stringify(hash)}): see kubectl gptpolicy review ${name}\n`);
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
