// kubectl-gptpolicy: the CLI as a kubectl plugin (krew's naming: an executable kubectl-gptpolicy on
// PATH makes `kubectl gptpolicy …`). It reads and writes the cluster through kubectl itself, with
// the user's own context and rights:
//   kubectl gptpolicy review NAME                  gptpolicy review of the GPTPolicy and its policy
//   kubectl gptpolicy approve NAME [--hash H] [--stage S]
//                                                  approve the hash reviewed (H), or the one it shows now
// A NamespacedGPTPolicy is named as kubectl names namespaced objects: `-n NS NAME`, or `ngptp/NAME`
// in the context's namespace (kubectl resolves it: the plugin never reads the kubeconfig).
import { execFileSync } from 'node:child_process';
import { stringify } from 'yaml';
import { CLUSTER_INTENT, NAMESPACED_INTENT, type IntentKind } from '../../lib/gptpolicy/kinds.ts';
import { namespaceProblem, policyApproval } from './approve.ts';
import { parseCommand } from './args.ts';
import type { CommandIo } from './io.ts';
import { reviewCommand } from './review.ts';

const USAGE = `usage: kubectl gptpolicy review NAME | -n NAMESPACE NAME | ngptp/NAME
       kubectl gptpolicy approve NAME | -n NAMESPACE NAME | ngptp/NAME [--hash HASH] [--stage Warn|Deny]

review: what to judge before approving GPTPolicy NAME (gptpolicy review, reading the cluster); it
  ends with the approve commands for the hash it showed.
approve: creates the PolicyApproval (default --stage Deny) for HASH, the hash review showed, if
  NAME's status.rollout.specHash is still that (else it refuses: the policy changed since); without
  --hash, for the hash it shows now. Needs ClusterRole gptpolicy-approver.
-n NAMESPACE NAME: the NamespacedGPTPolicy NAME in NAMESPACE instead; ngptp/NAME (or
  namespacedgptpolicy/NAME): the one in your context's namespace. Its approval is a
  NamespacedPolicyApproval in that same namespace (ClusterRole gptpolicy-namespace-approver, bound
  there with a RoleBinding). gptp/NAME is the GPTPolicy, as NAME alone.
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

// The names kubectl takes for each kind in TYPE/NAME (kind, singular, plural, short name).
const TYPE_NAMES: ReadonlyArray<[IntentKind, string[]]> = [
  [CLUSTER_INTENT, ['gptp', 'gptpolicy', 'gptpolicies', 'gptpolicies.gptpolicy.dev']],
  [NAMESPACED_INTENT, ['ngptp', 'namespacedgptpolicy', 'namespacedgptpolicies', 'namespacedgptpolicies.gptpolicy.dev']],
];

/** The intent the user named: its kind, name, and namespace (undefined: the context's, for a namespaced one). */
interface Target {
  intent: IntentKind;
  name: string;
  namespace?: string;
}

/** NAME, TYPE/NAME and -n read as kubectl reads them; a string says what is wrong. */
export function targetOf(arg: string, namespace: string | undefined): Target | string {
  const slash = arg.indexOf('/');
  const type = slash < 0 ? undefined : arg.slice(0, slash).toLowerCase();
  const name = slash < 0 ? arg : arg.slice(slash + 1);
  const named = type === undefined ? undefined : TYPE_NAMES.find(([, names]) => names.includes(type))?.[0];
  if (type !== undefined && !named) return `${JSON.stringify(type)} is neither gptp (GPTPolicy) nor ngptp (NamespacedGPTPolicy)`;
  if (name === '' || name.includes('/')) return `${JSON.stringify(arg)} is not NAME or TYPE/NAME`;
  if (namespace !== undefined && namespaceProblem(namespace)) return namespaceProblem(namespace) as string;
  const intent = named ?? (namespace !== undefined ? NAMESPACED_INTENT : CLUSTER_INTENT);
  if (!intent.namespaced && namespace !== undefined) return `a GPTPolicy is cluster-scoped: drop -n, or name the NamespacedGPTPolicy (-n ${namespace} ${name})`;
  return { intent, name, ...(namespace !== undefined ? { namespace } : {}) };
}

/** kubectl's arguments that name the target object. */
const objectArgs = (t: Target): string[] => [`${t.intent.plural}.gptpolicy.dev`, t.name, ...(t.namespace !== undefined ? ['-n', t.namespace] : [])];

/** How messages name the target. */
const described = (t: Target): string => `${t.intent.kind} ${t.namespace !== undefined ? `${t.namespace}/` : ''}${t.name}`;

/** How commands the user may type again name the target. */
const typed = (t: Target): string => (t.intent.namespaced ? (t.namespace !== undefined ? `-n ${t.namespace} ${t.name}` : `ngptp/${t.name}`) : t.name);

export async function kubectlPluginCommand(argv: string[], io: CommandIo, kubectl: Kubectl = runKubectl): Promise<number> {
  const parsed = parseCommand(argv, { hash: { type: 'string' }, stage: { type: 'string', default: 'Deny' }, namespace: { type: 'string', short: 'n' } }, USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const [command, name, ...extra] = parsed.positionals;
  const target = name ? targetOf(name, parsed.values.namespace) : undefined;
  const problem =
    command !== 'review' && command !== 'approve'
      ? `unknown command ${JSON.stringify(command ?? '')}`
      : !target || extra.length > 0
        ? 'NAME, one GPTPolicy (or, with -n, NamespacedGPTPolicy), is required'
        : typeof target === 'string'
          ? target
          : parsed.values.stage !== 'Warn' && parsed.values.stage !== 'Deny'
            ? `--stage must be Warn or Deny, got ${JSON.stringify(parsed.values.stage)}`
            : parsed.values.hash !== undefined && command !== 'approve'
              ? '--hash is for approve only'
              : parsed.values.hash !== undefined && !HASH.test(parsed.values.hash)
                ? "--hash must be the 64 hex digits review showed (the GPTPolicy's status.rollout.specHash)"
                : undefined;
  if (problem || !target || typeof target === 'string') {
    io.stderr(`${problem}\n${USAGE}\n`);
    return 2;
  }
  try {
    if (command === 'review') {
      const gp = kubectl(['get', ...objectArgs(target), '-o', 'yaml']);
      const policyName = kubectl(['get', ...objectArgs(target), '-o', 'jsonpath={.status.policyName}']).trim();
      const policy = policyName ? kubectl(['get', 'jspolicies.policy.jspolicy.com,jspolicybundles.policy.jspolicy.com', policyName, '-o', 'yaml', '--ignore-not-found']) : '';
      return reviewCommand(['-'], io, async () => `${gp}\n---\n${policy}`, 'kubectl-plugin');
    }
    // A namespaced intent's namespace is read with its hash: the approval goes there, whichever
    // namespace the context named.
    const read = kubectl(['get', ...objectArgs(target), '-o', `jsonpath=${target.intent.namespaced ? '{.metadata.namespace}/' : ''}{.status.rollout.specHash}`]).trim();
    const namespace = target.intent.namespaced ? read.slice(0, Math.max(read.indexOf('/'), 0)) : undefined;
    const hash = target.intent.namespaced ? read.slice(read.indexOf('/') + 1) : read;
    const shown: Target = { ...target, ...(namespace ? { namespace } : {}) };
    if (!HASH.test(hash)) {
      io.stderr(`${described(shown)} shows no policy to approve (status.rollout.specHash is ${JSON.stringify(hash)}): see kubectl gptpolicy review ${typed(shown)}\n`);
      return 1;
    }
    if (namespace === '') throw new Error(`kubectl named no namespace for ${described(target)}`);
    // What was reviewed, or nothing: a policy regenerated since the review is not approved unseen.
    if (parsed.values.hash !== undefined && parsed.values.hash !== hash) {
      io.stderr(`${described(shown)}'s policy changed since that review: it is now hash ${hash}, not ${parsed.values.hash}; review it again: kubectl gptpolicy review ${typed(shown)}\n`);
      return 1;
    }
    io.stdout(kubectl(['create', '-f', '-'], stringify(policyApproval(target.name, parsed.values.stage as 'Warn' | 'Deny', hash, namespace))));
    io.stdout(`approved hash ${hash} of ${described(shown)} for ${parsed.values.stage}\n`);
    return 0;
  } catch (e) {
    const message = (e as Error).message;
    // A team's intent looked up as a GPTPolicy: say how to name it.
    const hint = !target.intent.namespaced && message.includes('NotFound') ? `\n(a NamespacedGPTPolicy? kubectl gptpolicy ${command} -n NAMESPACE ${target.name}, or ngptp/${target.name} in your context's namespace)` : '';
    io.stderr(`kubectl gptpolicy: ${message}${hint}\n`);
    return 1;
  }
}
