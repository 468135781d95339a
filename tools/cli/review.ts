// gptpolicy review [FILE|-]: what a reviewer must judge before approving, from the objects as
// `kubectl get -o yaml` prints them — the GPTPolicy (or NamespacedGPTPolicy), and its JsPolicy with
// its JsPolicyBundle:
//   { kubectl get gptp deny-prod -o yaml; echo ---; kubectl get jspolicy,jspolicybundle deny-prod.gptpolicy.dev -o yaml; } | gptpolicy review
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { isIntentKind } from '../../lib/gptpolicy/kinds.ts';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import { renderReview, type ReviewInput } from '../../lib/review/render.ts';
import { withBundledCode, type JsPolicyBundle } from '../../lib/controller/apply.ts';
import { parseCommand } from './args.ts';
import type { CommandIo } from './io.ts';

const USAGE = `usage: gptpolicy review [FILE|-]

Reads a GPTPolicy or a NamespacedGPTPolicy — and its JsPolicy and JsPolicyBundle, for the code — from
FILE or standard input, as kubectl prints them (YAML documents or a List), and prints what to judge
before approving:
  { kubectl get gptp NAME -o yaml; echo ---; kubectl get jspolicy,jspolicybundle NAME.gptpolicy.dev -o yaml; } | gptpolicy review
  { kubectl get ngptp NAME -n NS -o yaml; echo ---; kubectl get jspolicy,jspolicybundle NAME.NS.ns-gptpolicy.dev -o yaml; } | gptpolicy review`;

async function readInput(path: string): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Every object in the text: YAML documents, and the items of `kind: List`. */
export function objectsIn(text: string): KubeObject[] | string {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) return `not YAML: ${doc.errors[0]?.message ?? ''}`;
    const value = doc.toJS() as (KubeObject & { items?: KubeObject[] }) | null;
    if (value === null || typeof value !== 'object') continue;
    if (value.kind?.endsWith('List')) out.push(...(value.items ?? []));
    else out.push(value);
  }
  return out;
}

export async function reviewCommand(argv: string[], io: CommandIo, read: (path: string) => Promise<string> = readInput, approveWith: ReviewInput['approveWith'] = 'gptpolicy'): Promise<number> {
  const parsed = parseCommand(argv, {}, USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const [path = '-', ...extra] = parsed.positionals;
  if (extra.length > 0) {
    io.stderr(`one FILE at most, got ${parsed.positionals.length}\n${USAGE}\n`);
    return 2;
  }
  let text: string;
  try {
    text = await read(path);
  } catch (e) {
    io.stderr(`gptpolicy review: cannot read ${path}: ${(e as Error).message}\n`);
    return 2;
  }
  const objects = objectsIn(text);
  if (typeof objects === 'string') {
    io.stderr(`gptpolicy review: ${path === '-' ? 'standard input' : path} is ${objects}\n`);
    return 2;
  }
  const gptPolicies = objects.filter((o): o is GPTPolicy => isIntentKind(o.kind));
  if (gptPolicies.length !== 1) {
    io.stderr(`gptpolicy review: the input must hold exactly one GPTPolicy or NamespacedGPTPolicy, it holds ${gptPolicies.length}\n${USAGE}\n`);
    return 2;
  }
  const gptPolicy = gptPolicies[0] as GPTPolicy;
  const name = gptPolicy.status?.policyName;
  const policy = objects.find((o): o is JsPolicy => o.kind === 'JsPolicy' && (name === undefined || o.metadata.name === name));
  const bundle = () => objects.find((o): o is JsPolicyBundle => o.kind === 'JsPolicyBundle' && o.metadata.name === policy?.metadata.name);
  io.stdout(renderReview({ gptPolicy, approveWith, ...(policy ? { policy: withBundledCode(policy, bundle) ?? policy } : {}) }));
  return 0;
}
