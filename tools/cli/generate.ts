// gptpolicy generate "DESCRIPTION": the built controller bundle, run in the local jsPolicy runtime
// against an in-memory cluster until it settles, exactly as jsPolicy would run it.
import { stringify } from 'yaml';
import { API_VERSION, GPTPOLICY_KIND, JSPOLICY_API_VERSION } from '../../lib/gptpolicy/api.ts';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import { startLocalController } from './local-controller.ts';
import { parseCommand } from './args.ts';
import { eventNamespace, involvedObjectOf } from '../../lib/events/core-event.ts';
import { eventsOf, eventsTable } from './events-table.ts';
import type { CommandIo } from './io.ts';

const USAGE = `usage: gptpolicy generate "DESCRIPTION" [--name NAME] [--model MODEL] [--cluster FILE]... [--skills DIR|FILE]

Runs the built controller (npm run build) in the local jsPolicy runtime and prints, as YAML,
the JsPolicy it emitted, the GPTPolicy with its status, and the JsPolicyBundle holding the
policy's code (base64 gzip; jsPolicy runs it without webpack). The model endpoint comes from
OPENAI_API_KEY, OPENAI_BASE_URL and OPENAI_MODEL; --cluster preloads objects (CRDs, Namespaces);
--skills takes a skill library (a skills/ source tree or PolicySkill YAML) instead of the built one.`;

export async function generateCommand(argv: string[], io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseCommand(argv, { name: { type: 'string', default: 'generated' }, model: { type: 'string' }, cluster: { type: 'string', multiple: true }, skills: { type: 'string' } }, USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const description = positionals.join(' ').trim();
  if (description === '') {
    io.stderr(`a DESCRIPTION is required\n${USAGE}\n`);
    return 2;
  }
  // The controller verifies the skill library first, as it would on installation; what the intent
  // itself costs is counted from here.
  const local = await startLocalController(values, io, env);
  const name = values.name ?? 'generated';
  const gp: GPTPolicy = { apiVersion: API_VERSION, kind: GPTPOLICY_KIND, metadata: { name }, spec: { description, ...(values.model ? { model: values.model } : {}) } };
  local.apply(gp);
  const stats = local.settle();
  const result = local.get<GPTPolicy>(API_VERSION, GPTPOLICY_KIND, name);
  const calls = result?.status?.usage?.modelCalls ?? 0;
  const eventWrites = local.writes.events();
  io.stderr(`controller runs: ${stats.runs}, model calls: ${calls}, API writes: ${local.writes.total()}${eventWrites ? ` (${eventWrites} of them Events)` : ''}${stats.settled ? '' : ' (did not settle)'}\n`);
  for (const error of stats.errors) io.stderr(`controller run failed: ${error}\n`);
  const skillNames = result?.status?.skills;
  if (skillNames) io.stderr(`skills retrieved: ${skillNames.retrieved.join(', ') || 'none'}; used: ${(skillNames.used ?? []).join(', ') || 'none'}\n`);
  for (const attempt of result?.status?.attempts ?? []) io.stderr(`attempt ${attempt.call}: ${attempt.outcome} — ${attempt.summary}\n`);
  const rollout = result?.status?.rollout;
  if (rollout) io.stderr(`stage ${rollout.stage}; to enforce it, approve spec hash ${rollout.specHash} (see README, "Approve")\n`);
  // What `kubectl describe gptp NAME` would show at its bottom.
  if (result) io.stderr(eventsTable(eventsOf(result, local.cluster.list('v1', 'Event', { namespace: eventNamespace(involvedObjectOf(result)) })), local.loop.clock()));

  const policyName = result?.status?.policyName;
  const policy = policyName ? local.get<JsPolicy>(JSPOLICY_API_VERSION, 'JsPolicy', policyName) : undefined;
  // A generated policy is precompiled: its code is in the JsPolicyBundle of the same name.
  const bundle = policyName ? local.get<KubeObject>(JSPOLICY_API_VERSION, 'JsPolicyBundle', policyName) : undefined;
  const documents: KubeObject[] = [];
  if (policy) documents.push(policy);
  if (result) documents.push(result);
  if (bundle) documents.push(bundle);
  io.stdout(documents.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  if (!policy) {
    const ready = result?.status?.conditions?.find((c) => c.type === 'Ready');
    io.stderr(`no policy came out: ${ready ? `${ready.reason}: ${ready.message}` : 'the controller wrote no status'}\n`);
    return 1;
  }
  return 0;
}
