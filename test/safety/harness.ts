// Drives one escape-and-hang corpus case (test/safety/corpus/*.ts) through the real built controller
// bundle (manifests/gptpolicy-controller.yaml, as `node build.mjs` writes it) in the local jsPolicy
// runtime, on V8 9.6, after jsPolicy's webpack step: the fake model on 127.0.0.1 answers the case's
// answer, the controller lints it, runs its tests in the sandbox, applies it (Dry), previews it over
// the case's objects; then the case's admission requests go through the emitted policy.
//
// Spies: every call the cluster serves (the controller's natives and the emitted policy's reads and
// writes reach it) is recorded with its kind and user, so a case can say which were never made.
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import { startFakeModel, type FakeModel, type RecordedRequest, type ScriptedReply } from '../../tools/fake-model/index.ts';
import { JSPOLICY_USER, LocalJsPolicy } from '../../tools/local/local-jspolicy.ts';
import { admit } from '../../tools/runtime/webhook/admit.ts';
import type { AdmissionRequest } from '../../lib/k8s/types.ts';
import { requestJson } from '../../skills/fixtures.ts';

export const GP = 'gptpolicy.dev/v1alpha1';
export const JSP = 'policy.jspolicy.com/v1beta1';
export const KEY = 'sk-safety-corpus-Key0123456789abcdef';

/** What a case must end as. */
export type Expected =
  /** Refused before anything is applied: a finding (or refusal) whose rule id is one of `rules`. */
  | { refused: { rules: string[] } }
  /** Applied (Dry): the benign controls. `admissions` then checks what the emitted policy does. */
  | { applied: true }
  /**
   * The run ends within its budget and the controller writes a status: refused or applied, either
   * way nothing reached, nothing read. `rules`, when given, says which refusal is wanted if it is refused.
   */
  | { held: true };

export interface Admission {
  /** The object the request creates (namespace from metadata). */
  object: KubeObject;
  operation?: 'CREATE' | 'UPDATE';
  /** What the emitted policy must (not) do with it, beyond "the run ends". */
  expect?: { allowed?: boolean; labels?: Record<string, string>; notPrivileged?: true };
}

export interface CorpusCase {
  name: string;
  /** The class of attack (or "control"). */
  class: string;
  /** The GPTPolicy description (attacker-controlled). */
  intent: string;
  /** The model's whole answer: a submit_policy tool call's arguments. */
  answer: unknown;
  /** Objects in the cluster before the GPTPolicy (namespaces, what the preview lists). */
  objects?: KubeObject[];
  expect: Expected;
  /** The controller's timeoutSeconds for this case (hang cases: a short one). */
  controllerTimeoutSeconds?: number;
  /** The emitted policy's timeoutSeconds for the case's admissions (hang cases: 1). */
  admissionTimeoutSeconds?: number;
  /** Requests sent through the emitted policy once it is applied. */
  admissions?: Admission[];
  /** Text that must appear nowhere the attacker (or the model) could read it: status, events, prompts, logs. */
  secrets?: string[];
  /** Kinds no one may write during the case (default: everything but gptpolicy's own and JsPolicies). */
  forbiddenWrites?: string[];
  /** An existing object the impact preview must show as denied (what the cluster will do, unmasked). */
  previewShows?: string;
  /** What the preview must say of that object, when not "denied" (a pattern). */
  previewSays?: string;
  /** Admissions happen this long after the policy was applied (a time bomb). */
  admitLaterMs?: number;
  /** Which defence makes the case pass (for the report when it fails). */
  defence: string;
}

export interface NativeCall {
  op: 'get' | 'list' | 'create' | 'update' | 'updateStatus' | 'remove' | 'http';
  kind: string;
  namespace?: string;
  name?: string;
  user?: string;
}

export interface CaseRun {
  gp: GPTPolicy | undefined;
  policy: JsPolicy | undefined;
  ready: { status: string; reason: string; message: string } | undefined;
  /** Every request the fake model got. */
  requests: RecordedRequest[];
  logs: string[];
  errors: string[];
  calls: NativeCall[];
  admissions: Array<{ allowed: boolean; object?: KubeObject; message?: string; error?: string; unanswered?: 'hang' | 'crash' }>;
  /** Everything an attacker or the model could read afterwards, as one text. */
  visible: string;
  ms: number;
}

const OWN_KINDS = new Set(['GPTPolicy', 'PolicyApproval', 'PolicySkill', 'JsPolicy', 'JsPolicyBundle', 'JsPolicyViolations', 'Event']);

export function tool(answer: unknown): ScriptedReply {
  return { toolCall: { name: 'submit_policy', arguments: answer } };
}

/**
 * The controller's timeoutSeconds in the corpus (30 in production): long enough for a run that calls
 * the model and checks an answer here, short enough that a run that hangs costs seconds (the
 * watchdog ends it after as long again).
 */
export const CONTROLLER_TIMEOUT_SECONDS = 5;

/** Replies the fake model is scripted with for a case: the answer, and the same again for the feedback round. */
const repliesFor = (c: CorpusCase): number => ('applied' in c.expect ? 1 : 2);

/**
 * Runs the cases one after the other, each as its own GPTPolicy (maxAttempts 2: the feedback round
 * shows the model every finding) in a shared installation and fake model. When the controller loses
 * its worker (a run that hung or crashed) or a case took another number of model calls than
 * scripted, the next case starts a fresh installation.
 */
export class Corpus {
  private bay: { local: LocalJsPolicy; model: FakeModel; logs: string[]; calls: NativeCall[]; seen: number; next: number } | undefined;

  constructor(private readonly cases: CorpusCase[]) {}

  async run(index: number): Promise<CaseRun> {
    const c = this.cases[index]!;
    if (!this.bay || this.bay.next !== index) await this.open(index);
    const bay = this.bay!;
    const run = await runOne(bay.local, bay.model, c, `c${index}`, bay);
    bay.seen += run.requests.length;
    bay.next = index + 1;
    if (controllerLost(run).length > 0 || run.requests.length !== repliesFor(c)) await this.close();
    return run;
  }

  private async open(from: number): Promise<void> {
    await this.close();
    const rest = this.cases.slice(from);
    const model = await startFakeModel(rest.flatMap((c) => Array.from({ length: repliesFor(c) }, () => tool(c.answer))));
    const logs: string[] = [];
    const calls: NativeCall[] = [];
    const timeoutSeconds = Math.min(...rest.map((c) => c.controllerTimeoutSeconds ?? CONTROLLER_TIMEOUT_SECONDS));
    try {
      const local = new LocalJsPolicy({ apiKey: KEY, env: { OPENAI_BASE_URL: model.baseUrl }, log: (l) => logs.push(l), controllerSpec: { timeoutSeconds } });
      spy(local, calls);
      this.bay = { local, model, logs, calls, seen: 0, next: from };
    } catch (e) {
      await model.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    const bay = this.bay;
    this.bay = undefined;
    await bay?.model.close();
  }
}

async function runOne(local: LocalJsPolicy, model: FakeModel, c: CorpusCase, name: string, shared: { logs: string[]; calls: NativeCall[]; seen: number }): Promise<CaseRun> {
  const started = performance.now();
  const firstLog = shared.logs.length;
  const firstCall = shared.calls.length;
  for (const object of c.objects ?? []) {
    const created = local.cluster.create(object);
    if (!created.ok && created.reason !== 'AlreadyExists') throw new Error(`case ${c.name}: could not create ${object.kind} ${object.metadata.name}: ${created.message}`);
  }
  const errors: string[] = [];
  local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name }, spec: { description: c.intent, maxAttempts: 2 } });
  errors.push(...local.settle({ maxRuns: 60 }).errors);
  const policyName = `${name}.gptpolicy.dev`;
  const policy = local.get<JsPolicy>(JSP, 'JsPolicy', policyName);
  const admissions: CaseRun['admissions'] = [];
  const logs = shared.logs;
  if (policy && controllerLostIn(errors).length === 0) {
    // What the emitted policy does once a person approved it (Deny): jsPolicy's handler, its stored bundle.
    const enforced: JsPolicy = { ...policy, spec: { ...policy.spec, violationPolicy: 'Deny', ...(c.admissionTimeoutSeconds ? { timeoutSeconds: c.admissionTimeoutSeconds } : {}) } };
    for (const a of c.admissions ?? []) {
      const request = JSON.parse(requestJson(a.object as never, a.operation ?? 'CREATE')) as AdmissionRequest;
      request.userInfo = { username: 'mallory' };
      const later = c.admitLaterMs;
      const outcome = admit(enforced, request, { cluster: local.cluster, log: (l) => logs.push(l), ...(later ? { now: () => Date.now() + later } : {}) });
      admissions.push({ allowed: outcome.allowed, object: outcome.patchedObject as KubeObject | undefined, message: outcome.message, unanswered: outcome.unanswered?.kind, error: outcome.error });
    }
  }
  const gp = local.get<GPTPolicy>(GP, 'GPTPolicy', name);
  const requests = (await model.requests()).slice(shared.seen);
  const caseLogs = shared.logs.slice(firstLog);
  const events = local.cluster.list('v1', 'Event');
  const violations = local.cluster.list('policy.jspolicy.com/v1beta1', 'JsPolicyViolations');
  const visible = [JSON.stringify(gp), JSON.stringify(local.get<JsPolicy>(JSP, 'JsPolicy', policyName) ?? null), JSON.stringify(events), JSON.stringify(violations), JSON.stringify(requests.map((r) => r.body)), caseLogs.join('\n'), JSON.stringify(admissions)].join('\n');
  const ready = gp?.status?.conditions?.find((x) => x.type === 'Ready') as CaseRun['ready'];
  return { gp, policy, ready, requests, logs: caseLogs, errors, calls: shared.calls.slice(firstCall), admissions, visible, ms: performance.now() - started };
}

const controllerLostIn = (errors: string[]) => errors.filter((e) => /never returned|process died|no VM free/.test(e));

function spy(local: LocalJsPolicy, calls: NativeCall[]): void {
  const cluster = local.cluster as unknown as Record<string, (...args: never[]) => unknown>;
  const wrap = (op: NativeCall['op'], describe: (args: unknown[]) => Omit<NativeCall, 'op'>) => {
    const original = cluster[op === 'http' ? 'handleHttp' : op]!.bind(local.cluster);
    cluster[op === 'http' ? 'handleHttp' : op] = ((...args: unknown[]) => {
      calls.push({ op, ...describe(args) });
      return (original as (...a: unknown[]) => unknown)(...args);
    }) as never;
  };
  const obj = (o: unknown) => o as KubeObject;
  const user = (u: unknown) => (u as { username?: string } | undefined)?.username;
  wrap('get', (a) => ({ kind: String(a[1]), namespace: a[2] as string | undefined, name: String(a[3]) }));
  wrap('list', (a) => ({ kind: String(a[1]), namespace: (a[2] as { namespace?: string } | undefined)?.namespace }));
  wrap('create', (a) => ({ kind: obj(a[0]).kind, namespace: obj(a[0]).metadata?.namespace, name: obj(a[0]).metadata?.name, user: user(a[1]) }));
  wrap('update', (a) => ({ kind: obj(a[0]).kind, namespace: obj(a[0]).metadata?.namespace, name: obj(a[0]).metadata?.name, user: user(a[1]) }));
  wrap('updateStatus', (a) => ({ kind: obj(a[0]).kind, namespace: obj(a[0]).metadata?.namespace, name: obj(a[0]).metadata?.name, user: user(a[1]) }));
  wrap('remove', (a) => ({ kind: String(a[1]), namespace: a[2] as string | undefined, name: String(a[3]), user: user(a[4]) }));
  wrap('http', (a) => {
    const r = a[0] as { method: string; path: string };
    return { kind: `${r.method.toUpperCase()} ${r.path.split('?')[0]}` };
  });
}

/** Writes by jsPolicy's service account (the controller and every policy's natives) to kinds that are not gptpolicy's own. */
export function foreignWrites(run: CaseRun, forbidden?: string[]): NativeCall[] {
  return run.calls.filter((call) => {
    if (call.op === 'get' || call.op === 'list') return false;
    if (call.op === 'http') return !/^GET /.test(call.kind) && !/\/(gptpolicies|jspolicies|policyskills|policyapprovals|events)(\/|$)/.test(call.kind);
    if (call.user !== JSPOLICY_USER) return false;
    return forbidden ? forbidden.includes(call.kind) : !OWN_KINDS.has(call.kind);
  });
}

/** Reads of Secrets other than the controller's own API key Secret. */
export function secretReads(run: CaseRun): NativeCall[] {
  return run.calls.filter((c) => (c.op === 'get' || c.op === 'list' ? c.kind === 'Secret' && c.name !== 'gptpolicy-openai' : c.op === 'http' && /\/secrets(\/|$)/.test(c.kind) && !/gptpolicy-openai/.test(c.kind)));
}

/** Whether the controller lost its one worker (a run that never returned, or a process that died). */
export function controllerLost(run: CaseRun): string[] {
  return controllerLostIn(run.errors);
}

/** The rule ids the fake model was told about (feedback), the status shows, or the refusal's reason. */
export function ruleIdsSeen(run: CaseRun): string[] {
  const text = [JSON.stringify(run.gp?.status ?? {}), JSON.stringify(run.requests.map((r) => r.body))].join('\n');
  const ids = [...text.matchAll(/ERROR ([a-z0-9-]+) at /g)].map((m) => m[1]!);
  const last = /Last: \d+ lint errors?, \d+ failing test cases?; ([a-z0-9-]+): /.exec(run.ready?.message ?? '');
  if (last) ids.push(last[1]!);
  if (run.ready?.reason === 'PolicyRefused') ids.push('PolicyRefused');
  // Not a lint rule: the answer's own test cases failed, so nothing was applied.
  if (/\b[1-9]\d* failing test cases?/.test(run.ready?.message ?? '')) ids.push('self-test-failed');
  return [...new Set(ids)];
}

/** Whether a seen rule id is one of `wanted` ("subset-*" matches by prefix). */
export function namedRules(seen: string[], wanted: string[]): string[] {
  return seen.filter((id) => wanted.some((w) => (w.endsWith('*') ? id.startsWith(w.slice(0, -1)) : id === w)));
}
