// A hostile candidate inside the controller's own run: what it writes about real objects is redacted
// before anyone reads it, its self-tests and its preview are bounded, and whatever it does the
// controller's runs end with a status that says what happened — never with a dead controller or a
// candidate applied unchecked.
//
// The local runtime's clock is virtual (it stands still during a run), so the sandbox's wall-clock
// budget is exercised in test/sandbox/time-budget.test.ts with a real clock; here the step budget
// and jsPolicy's timeout are what stop a candidate.
import { afterEach, describe, expect, it } from 'vitest';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { KubeObject } from '../../lib/k8s/types.ts';
import type { ModelAnswer } from '../../lib/model/answer.ts';
import { startFakeModel, type FakeModel, type ScriptedReply } from '../../tools/fake-model/index.ts';
import { LocalJsPolicy, type LocalJsPolicyOptions } from '../../tools/local/local-jspolicy.ts';
import { requestJson } from '../fixtures/answers.ts';

const GP = 'gptpolicy.dev/v1alpha1';
const JSP = 'policy.jspolicy.com/v1beta1';
const INTENT = 'Deny config maps that hold a password in the test namespace';
const NAMESPACES = ['test', 'kube-system', 'default'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
const T = { timeout: 120_000 };
/**
 * On an object labelled slow=yes: a thousand steps of tens of milliseconds each (a 64 MiB string
 * upper-cased). Every construct passes the linters; with jsPolicy's real clock the sandbox's time
 * budget stops it, with the local runtime's virtual clock jsPolicy's timeout does: what a run that
 * one built-in call keeps busy (a backtracking regular expression the linter missed) ends in.
 */
const SLOW =
  "if (request.object?.metadata?.labels?.slow === 'yes') { var big = 'xxxxxxxx'; for (var i = 0; i < 23; i++) { big = big + big; } var n = 0; for (var j = 0; j < 1000; j++) { n += big.toUpperCase().length; } } " +
  "if (request.object?.data?.password) { deny('holds a password'); }";

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

const configMap = (name: string, data: Record<string, string>, metadata: Record<string, unknown> = {}): KubeObject & { data: Record<string, string> } => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'test', ...metadata },
  data,
});

/** A ConfigMap policy with passing self-tests unless `tests` replaces them. */
function answer(javascript: string, tests?: ModelAnswer['tests']): ModelAnswer {
  return {
    plan: {
      summary: 'Deny config maps holding a password in namespace test',
      resources: [{ group: '', version: 'v1', resource: 'configmaps' }],
      operations: ['CREATE', 'UPDATE'],
      namespaces: ['test'],
      denies: 'config maps with a data key password',
      allows: 'every other config map',
      mutates: '',
    },
    policy: { type: 'Validating', operations: ['CREATE', 'UPDATE'], resources: ['configmaps'], apiGroups: [''], apiVersions: ['v1'], scope: 'Namespaced', objectSelector: '', javascript },
    tests: tests ?? [
      { name: 'a password is denied', request: requestJson(configMap('db', { password: 'x' })), expect: 'deny', detail: 'password' },
      { name: 'no password is allowed', request: requestJson(configMap('web', { port: '80' })), expect: 'allow', detail: '' },
    ],
  };
}

const answered = (a: ModelAnswer): ScriptedReply => ({ toolCall: { name: 'submit_policy', arguments: a } });

async function run(script: ScriptedReply[], objects: KubeObject[] = [], options: LocalJsPolicyOptions = {}) {
  model = await startFakeModel(script);
  const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl }, objects: [...NAMESPACES, ...objects], ...options });
  local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'pw' }, spec: { description: INTENT } });
  const stats = local.settle();
  return { local, stats };
}

const gpOf = (local: LocalJsPolicy) => local.get<GPTPolicy>(GP, 'GPTPolicy', 'pw') as GPTPolicy;
const ready = (local: LocalJsPolicy) => gpOf(local).status?.conditions?.find((c) => c.type === 'Ready');
const policies = (local: LocalJsPolicy) => local.cluster.list(JSP, 'JsPolicy').filter((p) => p.metadata.name?.startsWith('pw.'));

describe('what the policy says about real objects is redacted', () => {
  const LEAKY = `if (request.object?.data?.password) { deny('holds a password: ' + JSON.stringify(request.object.data)); }`;

  it('the impact preview: a ConfigMap password copied into the deny message is not in status.impact', T, async () => {
    const secret = 'hunter2-Sup3rS3cret!';
    const { local } = await run([answered(answer(LEAKY))], [configMap('db', { password: secret, port: '5432' })]);
    const impact = gpOf(local).status?.impact as { affected?: number; examples?: Array<{ object: string; result: string }> };
    expect(impact).toMatchObject({ affected: 1, examples: [{ object: 'ConfigMap test/db' }] });
    expect(impact.examples?.[0]?.result).toMatch(/^denied: holds a password: .*\[redacted\]/);
    expect(JSON.stringify(gpOf(local).status)).not.toContain('Sup3rS3cret');
  });

  it('the violations jsPolicy logs while Dry: redacted against the object they were about', T, async () => {
    const { local } = await run([answered(answer(LEAKY))]);
    const secret = 'another-S3cret-value';
    expect(local.cluster.create(configMap('late', { password: secret })).ok).toBe(true);
    local.settle();
    const violations = gpOf(local).status?.violations as { observed?: number; recent?: string[] };
    expect(violations.observed).toBe(1);
    expect(violations.recent?.[0]).toMatch(/^Dry CREATE ConfigMap test\/late: holds a password: .*\[redacted\]/);
    expect(JSON.stringify(gpOf(local).status)).not.toContain('S3cret');
  });
});

describe('a candidate cannot take the controller down', () => {
  it('a 5,000-deep test request is a finding sent back to the model, and the next answer is applied', T, async () => {
    // Built as text: the test's own JSON.stringify would not survive 5,000 levels either.
    const deep = requestJson(configMap('db', { password: 'x' })).replace(/"oldObject":null}$/, `"oldObject":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    const bad = answer(`if (request.object?.data?.password) { deny('holds a password'); }`);
    bad.tests[0] = { ...bad.tests[0]!, request: deep };
    const { local } = await run([answered(bad), answered(answer(`if (request.object?.data?.password) { deny('holds a password'); }`))]);
    const requests = await model!.requests();
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]?.body)).toContain('nested more than 32 levels');
    expect(ready(local)).toMatchObject({ status: 'True', reason: 'PolicyApplied' });
  });

  it('an allocation V8 refuses inside one built-in call fails the self-test with a finding', T, async () => {
    // Doubling a string 30 times asks for 8 GiB of characters: V8 refuses at its string length limit.
    const greedy = `var pad = 'xxxxxxxx'; for (var i = 0; i < 30; i++) { pad = pad + pad; } if (request.object?.data?.password) { deny('holds a password'); }`;
    const { local } = await run([answered(answer(greedy)), answered(answer(`if (request.object?.data?.password) { deny('holds a password'); }`))]);
    const requests = await model!.requests();
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]?.body)).toContain('Invalid string length');
    expect(gpOf(local).status?.attempts?.map((a) => a.outcome)).toEqual(['tests-failed', 'applied']);
  });

  it('runaway recursion in the preview stops at the step budget: an error and a note, the run ends', T, async () => {
    // Quick on every self-test; exponential on the existing object labelled depth=40.
    const slow = `var d = Number(request.object?.metadata?.labels?.depth || 0); function f(n) { return n <= 0 ? 0 : f(n - 1) + f(n - 1); } f(d); if (request.object?.data?.password) { deny('holds a password'); }`;
    const { local, stats } = await run([answered(answer(slow))], [configMap('bomb', { port: '1' }, { labels: { depth: '40' } })]);
    expect(stats.settled).toBe(true);
    expect(ready(local)).toMatchObject({ reason: 'PolicyApplied' });
    const impact = gpOf(local).status?.impact as Record<string, unknown>;
    expect(impact).toMatchObject({ pending: false, evaluated: 1, errors: 1 });
    expect(String(impact.note)).toContain('1 object stopped at the per-object budget');
    expect(JSON.stringify(impact.examples)).toContain('step budget exceeded');
  });

  it("a self-test whose steps are slow one by one: jsPolicy's timeout ends the run, the next event says so, nothing is applied", T, async () => {
    const tests: ModelAnswer['tests'] = [
      { name: 'a password is denied', request: requestJson(configMap('a', { password: 'x' })), expect: 'deny', detail: 'password' },
      { name: 'slow', request: requestJson(configMap('b', {}, { labels: { slow: 'yes' } })), expect: 'allow', detail: '' },
    ];
    const { local, stats } = await run([answered(answer(SLOW, tests))], [], { controllerSpec: { timeoutSeconds: 5 } });
    expect(stats.errors.join('\n')).toContain('timed out');
    expect(ready(local)).toMatchObject({ status: 'False', reason: 'RunInterrupted' });
    expect(ready(local)?.message).toContain('nothing of this answer was applied');
    expect(policies(local)).toEqual([]);
    expect(await model!.requests()).toHaveLength(1);
  });

  it('a preview whose steps are slow one by one: the next event notes it once, and the preview is not run again', T, async () => {
    const trap = configMap('trap', {}, { labels: { slow: 'yes' } });
    const { local, stats } = await run([answered(answer(SLOW))], [trap], { controllerSpec: { timeoutSeconds: 5 } });
    expect(stats.errors.join('\n')).toContain('timed out');
    expect(ready(local)).toMatchObject({ reason: 'PolicyApplied' });
    const impact = gpOf(local).status?.impact as Record<string, unknown>;
    expect(impact).toMatchObject({ pending: false, complete: false });
    expect(String(impact.note)).toMatch(/^the preview started at .* never finished/);
    local.writes.reset();
    local.loop.requeueAll();
    expect(local.settle().errors).toEqual([]);
    expect(local.writes.total()).toBe(0);
  });
});
