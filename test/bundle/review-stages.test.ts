// `gptpolicy review` on GPTPolicies captured from the built bundle at each stage of their life, as
// `kubectl get -o yaml` prints them: Dry with an impact preview, Warn with violations, and
// regenerated after an approval. Each approves with the exact command the review printed — the
// gptpolicy CLI piped to `kubectl create`, and the kubectl plugin over a kubectl backed by the
// same in-memory cluster.
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import type { ModelAnswer } from '../../lib/model/answer.ts';
import { startFakeModel, type FakeModel, type ScriptedReply } from '../../tools/fake-model/index.ts';
import { builtSkills, LocalJsPolicy } from '../../tools/local/local-jspolicy.ts';
import { approveCommand } from '../../tools/cli/approve.ts';
import { kubectlPluginCommand, type Kubectl } from '../../tools/cli/kubectl-plugin.ts';
import { reviewCommand } from '../../tools/cli/review.ts';
import { denyEnvAnswer, denyProdAnswer, INCIDENT_INTENT, requestJson } from '../fixtures/answers.ts';

const GP = 'gptpolicy.dev/v1alpha1';
const JSP = 'policy.jspolicy.com/v1beta1';
const ALICE = { username: 'alice', groups: ['reviewers'] };
const SECTIONS = ['## Intent', '## Plan', '## Code (without the guard)', '## What the guard rails add', '## Impact preview', '## Violations since it was applied', '## Changes since the last approved version', '## Approve'];

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

async function cluster(script: ScriptedReply[], objects: KubeObject[], skills: KubeObject[] = []): Promise<LocalJsPolicy> {
  model = await startFakeModel(script);
  const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl }, objects, skills });
  local.settle();
  return local;
}

/** The GPTPolicy `name`, or with `namespace` the NamespacedGPTPolicy there. */
const gpOf = (local: LocalJsPolicy, name: string, namespace?: string) =>
  (namespace === undefined ? local.get<GPTPolicy>(GP, 'GPTPolicy', name) : local.get<GPTPolicy>(GP, 'NamespacedGPTPolicy', name, namespace)) as GPTPolicy;

/** What `kubectl get gptp NAME -o yaml; echo ---; kubectl get jspolicy,jspolicybundle POLICY -o yaml` prints (ngptp NAME -n NAMESPACE with a namespace). */
function captured(local: LocalJsPolicy, name: string, namespace?: string): string {
  const gp = gpOf(local, name, namespace);
  const policyName = gp.status?.policyName ?? '';
  const items = [local.get(JSP, 'JsPolicy', policyName), local.get(JSP, 'JsPolicyBundle', policyName)].filter((o) => o !== undefined);
  return `${stringify(gp)}---\n${stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } })}`;
}

type Output = { code: number; out: string; err: string };
const collect = async (run: (io: { stdout: (t: string) => void; stderr: (t: string) => void }) => Promise<number>): Promise<Output> => {
  let out = '';
  let err = '';
  const code = await run({ stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
};

const review = (input: string) => collect((io) => reviewCommand(['-'], io, async () => input));

/** The headings in the order they appear; every one of them in the order. */
function headings(out: string): string[] {
  const found = out.split('\n').filter((line) => line.startsWith('## '));
  const rank = (line: string) => SECTIONS.findIndex((s) => line.startsWith(s));
  expect(found.map(rank).every((r, i, all) => r >= 0 && (i === 0 || r > (all[i - 1] as number)))).toBe(true);
  return found.map((line) => SECTIONS[rank(line)] as string);
}

/** The printed command for a stage, as a shell would split it. */
function printed(out: string, stage: 'Warn' | 'Deny'): string {
  const line = out.split('\n').find((l) => l.includes('approve') && l.includes(`--stage ${stage}`));
  expect(line, `an approve command for ${stage}`).toBeDefined();
  return (line as string).trim();
}

/** Runs `gptpolicy approve … | kubectl create -f -` as printed, creating the approval as alice. */
async function runPrintedCommand(local: LocalJsPolicy, command: string): Promise<void> {
  const [left, right] = command.split(' | ');
  expect(right).toBe('kubectl create -f -');
  const [program, ...argv] = (left as string).split(' ');
  expect(program).toBe('gptpolicy');
  const approval = await collect((io) => approveCommand(argv.slice(1), io));
  expect(approval.code).toBe(0);
  expect(local.cluster.create(parse(approval.out) as KubeObject, ALICE).ok).toBe(true);
  local.settle();
}

/** A kubectl over the in-memory cluster, for exactly what the kubectl plugin asks of it. */
function kubectlOver(local: LocalJsPolicy): Kubectl {
  return (args, input) => {
    const [verb, resource, name, ...rest] = args;
    const output = rest.join(' ');
    if (verb === 'create' && resource === '-f' && name === '-') {
      const created = local.cluster.create(parse(input ?? '') as KubeObject, ALICE);
      if (!created.ok) throw new Error(`Error from server (${created.reason}): ${created.message}`);
      local.settle();
      return `${(created.object.kind ?? '').toLowerCase()}.gptpolicy.dev/${created.object.metadata.name} created\n`;
    }
    if (verb === 'get' && resource === 'gptpolicies.gptpolicy.dev') {
      const gp = gpOf(local, name ?? '');
      if (!gp) throw new Error(`Error from server (NotFound): gptpolicies.gptpolicy.dev "${name}" not found`);
      if (output === '-o yaml') return stringify(gp);
      if (output === '-o jsonpath={.status.policyName}') return gp.status?.policyName ?? '';
      if (output === '-o jsonpath={.status.rollout.specHash}') return gp.status?.rollout?.specHash ?? '';
    }
    if (verb === 'get' && resource === 'namespacedgptpolicies.gptpolicy.dev' && rest[0] === '-n') {
      const gp = gpOf(local, name ?? '', rest[1]);
      const jsonpath = rest.slice(2).join(' ');
      if (!gp) throw new Error(`Error from server (NotFound): namespacedgptpolicies.gptpolicy.dev "${name}" not found`);
      if (jsonpath === '-o yaml') return stringify(gp);
      if (jsonpath === '-o jsonpath={.status.policyName}') return gp.status?.policyName ?? '';
      if (jsonpath === '-o jsonpath={.metadata.namespace}/{.status.rollout.specHash}') return `${gp.metadata.namespace}/${gp.status?.rollout?.specHash ?? ''}`;
    }
    if (verb === 'get' && resource === 'jspolicies.policy.jspolicy.com,jspolicybundles.policy.jspolicy.com' && output === '-o yaml --ignore-not-found') {
      const items = [local.get(JSP, 'JsPolicy', name ?? ''), local.get(JSP, 'JsPolicyBundle', name ?? '')].filter((o) => o !== undefined);
      return stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });
    }
    throw new Error(`the test's kubectl does not know: kubectl ${args.join(' ')}`);
  };
}

const plugin = (local: LocalJsPolicy, argv: string[]) => collect((io) => kubectlPluginCommand(argv, io, kubectlOver(local)));

const pod = (name: string, namespace: string, image: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
  spec: { containers: [{ name: 'c', image }] },
});

const IMAGES_INTENT = 'Deny pods in the apps namespace that use an image with the latest tag';

/** Calls a library helper, which calls another in turn (containerImages → allContainers). */
function imagesAnswer(): ModelAnswer {
  const request = (image: string) => requestJson(pod('web', 'apps', image));
  return {
    plan: { summary: 'no latest tags in apps', resources: [{ group: '', version: 'v1', resource: 'pods' }], operations: ['CREATE', 'UPDATE'], namespaces: ['apps'], denies: 'images with the latest tag', allows: 'pinned images', mutates: '' },
    policy: {
      type: 'Validating',
      operations: ['CREATE', 'UPDATE'],
      resources: ['pods'],
      apiGroups: [''],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: "for (const image of containerImages(request.object)) { if (usesLatestTag(image)) deny('image ' + image + ' uses the latest tag'); }",
    },
    tests: [
      { name: 'latest is denied', request: request('registry.example.com/web:latest'), expect: 'deny', detail: 'latest' },
      { name: 'a pinned image is allowed', request: request('registry.example.com/web:1.2'), expect: 'allow', detail: '' },
    ],
  };
}

describe('gptpolicy review, at each stage', () => {
  it('Dry, with its impact preview: the helpers it calls, the guard rails, and the Warn command printed works', async () => {
    const apps = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } };
    const existing = [pod('latest', 'apps', 'nginx:latest'), pod('untagged', 'apps', 'nginx'), pod('pinned', 'apps', 'nginx:1.25')];
    const local = await cluster([{ toolCall: { name: 'submit_policy', arguments: imagesAnswer() } }], [apps, ...existing], builtSkills());
    local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'images' }, spec: { description: IMAGES_INTENT } });
    local.settle();
    const gp = gpOf(local, 'images');
    const hash = gp.status?.rollout?.specHash as string;

    const { code, out } = await review(captured(local, 'images'));
    expect(code).toBe(0);
    expect(headings(out)).toEqual(SECTIONS.filter((s) => !s.includes('Changes since')));
    expect(out).toContain(`## Intent\n${IMAGES_INTENT}`);
    expect(out).toContain('summary: no latest tags in apps');
    // The candidate with the library helpers it calls, inlined, and their names.
    expect(out).toContain('for (const image of containerImages(request.object))');
    expect(out).toMatch(/function containerImages\(/);
    expect(out).toMatch(/function allContainers\(/);
    expect(out).toMatch(/library helpers it calls \(their code is inlined above, and covered by the hash\): .*containerImages/);
    expect(out).not.toContain('gptpolicy:guard');
    // What the guard rails add: namespaces, excluded kinds, fail-open.
    expect(out).toContain('namespaces: only apps; never jspolicy, kube-node-lease, kube-public, kube-system');
    expect(out).toMatch(/excluded kinds, never matched nor read whatever the code says: secrets, /);
    expect(out).toContain('fails open: failurePolicy Ignore');
    expect(out).toContain('stage: Dry (jsPolicy logs what it would deny and blocks nothing)');
    // The preview over the pods that already exist: "nginx" alone is the latest tag too.
    expect(out).toContain('3 existing objects evaluated: 2 affected, 0 errors');
    expect(out).toMatch(/- Pod apps\/latest: /);
    expect(out).toContain('## Violations since it was applied\nnone logged since it was applied');
    expect(out).toContain(`stage now: Dry; spec hash ${hash}`);

    await runPrintedCommand(local, printed(out, 'Warn'));
    expect(local.get<JsPolicy>(JSP, 'JsPolicy', gp.status?.policyName ?? '')?.spec.violationPolicy).toBe('Warn');
    expect(gpOf(local, 'images').status?.rollout).toMatchObject({ stage: 'Warn', specHash: hash, approval: 'images.warn', approvedBy: 'alice' });
  }, 120_000);

  it('Warn, with the violations seen since it was applied: only Deny is left to approve, and its printed command works', async () => {
    const test = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test' } };
    const local = await cluster([{ toolCall: { name: 'submit_policy', arguments: denyProdAnswer() } }], [test]);
    local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'deny-prod' }, spec: { description: INCIDENT_INTENT } });
    local.settle();
    await runPrintedCommand(local, printed((await review(captured(local, 'deny-prod'))).out, 'Warn'));
    // At Warn the request passes, and jsPolicy logs it.
    expect(local.cluster.create(pod('web', 'test', 'nginx', { env: 'prod' }), ALICE).ok).toBe(true);
    local.settle();
    const hash = gpOf(local, 'deny-prod').status?.rollout?.specHash as string;

    const { out } = await review(captured(local, 'deny-prod'));
    expect(headings(out)).toEqual(SECTIONS.filter((s) => !s.includes('Changes since')));
    expect(out).toContain('stage: Warn (a denied request passes, with a warning to the client)');
    expect(out).toMatch(/## Violations since it was applied\n1 logged since \S+, 0 of them code errors; the newest:\n- \w+ CREATE Pod test\/web: pods labelled env=prod are not allowed in namespace test/);
    expect(out).toContain(`stage now: Warn (PolicyApproval deny-prod.warn by alice); spec hash ${hash}`);
    expect(out).not.toContain('--stage Warn');
    const deny = printed(out, 'Deny');
    expect(deny).toBe(`gptpolicy approve deny-prod --hash ${hash} --stage Deny | kubectl create -f -`);

    await runPrintedCommand(local, deny);
    expect(gpOf(local, 'deny-prod').status?.rollout).toMatchObject({ stage: 'Deny', approval: 'deny-prod.deny' });
    expect((await review(captured(local, 'deny-prod'))).out).toContain('enforced at Deny: nothing more to approve');
  }, 120_000);

  it('regenerated after an approval: the diff to the approved code, through the kubectl plugin', async () => {
    const test = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test' } };
    const local = await cluster(
      [
        { toolCall: { name: 'submit_policy', arguments: denyProdAnswer() } },
        { toolCall: { name: 'submit_policy', arguments: denyEnvAnswer('staging') } },
      ],
      [test],
    );
    local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'deny-prod' }, spec: { description: INCIDENT_INTENT } });
    local.settle();
    const first = await plugin(local, ['review', 'deny-prod']);
    expect(first.code).toBe(0);
    const approvedHash = gpOf(local, 'deny-prod').status?.rollout?.specHash as string;
    const deny = printed(first.out, 'Deny');
    expect(deny).toBe(`kubectl gptpolicy approve deny-prod --hash ${approvedHash} --stage Deny`);
    const approved = await plugin(local, deny.split(' ').slice(2));
    expect(approved).toMatchObject({ code: 0, out: expect.stringContaining(`approved hash ${approvedHash} of GPTPolicy deny-prod for Deny`) });
    expect(gpOf(local, 'deny-prod').status?.approved).toMatchObject({ specHash: approvedHash, stage: 'Deny', approval: 'deny-prod.deny', approvedBy: 'alice' });

    local.apply({ ...gpOf(local, 'deny-prod'), spec: { description: "Deny pods with the label 'env=staging' in the 'test' namespace." } });
    local.settle();
    const gp = gpOf(local, 'deny-prod');
    const hash = gp.status?.rollout?.specHash as string;
    expect(hash).not.toBe(approvedHash);
    // The regeneration kept the record of what was approved.
    expect(gp.status?.approved).toMatchObject({ specHash: approvedHash, approvedBy: 'alice' });

    const { code, out } = await plugin(local, ['review', 'deny-prod']);
    expect(code).toBe(0);
    expect(headings(out)).toEqual(SECTIONS);
    const changes = out.slice(out.indexOf('## Changes since the last approved version'), out.indexOf('## Approve'));
    expect(changes).toContain(`last approved: hash ${approvedHash}, at Deny by alice (PolicyApproval deny-prod.deny)`);
    expect(changes).toContain(`--- approved ${approvedHash.slice(0, 12)}\n+++ this version ${hash.slice(0, 12)}\n@@ -1,1 +1,1 @@`);
    expect(changes).toContain("\n-if (request.namespace === 'test' && request.object?.metadata?.labels?.env === 'prod')");
    expect(changes).toContain("\n+if (request.namespace === 'test' && request.object?.metadata?.labels?.env === 'staging')");
    expect(changes).not.toContain('No newline');
    expect(out).toContain(`stage now: Dry; spec hash ${hash}`);

    // The hash reviewed before is not the policy now: the plugin refuses it, and approves the new one.
    const stale = await plugin(local, ['approve', 'deny-prod', '--hash', approvedHash, '--stage', 'Deny']);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain(`changed since that review: it is now hash ${hash}`);
    expect((await plugin(local, printed(out, 'Warn').split(' ').slice(2))).code).toBe(0);
    expect(gpOf(local, 'deny-prod').status?.rollout).toMatchObject({ stage: 'Warn', specHash: hash });
    expect(gpOf(local, 'deny-prod').status?.approved).toMatchObject({ specHash: hash, stage: 'Warn' });
    expect((await plugin(local, ['review', 'deny-prod'])).out).not.toContain('## Changes since');
  }, 120_000);

  it('a NamespacedGPTPolicy: the namespace bound among the guard rails, and both printed approve commands work in its namespace', async () => {
    const test = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test' } };
    const local = await cluster([{ toolCall: { name: 'submit_policy', arguments: denyProdAnswer() } }], [test]);
    local.apply({ apiVersion: GP, kind: 'NamespacedGPTPolicy', metadata: { name: 'deny-prod', namespace: 'test' }, spec: { description: INCIDENT_INTENT } });
    local.settle();
    const gp = gpOf(local, 'deny-prod', 'test');
    const hash = gp.status?.rollout?.specHash as string;
    expect(gp.status?.policyName).toBe('deny-prod.test.ns-gptpolicy.dev');

    const { code, out } = await review(captured(local, 'deny-prod', 'test'));
    expect(code).toBe(0);
    expect(headings(out)).toEqual(SECTIONS.filter((s) => !s.includes('Changes since')));
    expect(out).toContain('# NamespacedGPTPolicy test/deny-prod');
    const rails = out.slice(out.indexOf('## What the guard rails add'), out.indexOf('## Impact preview'));
    expect(rails).toContain('namespaces: only test; never jspolicy, kube-node-lease, kube-public, kube-system');
    expect(rails).toMatch(/namespace bound: test alone, by code — a NamespacedGPTPolicy's policy sees only namespaced requests in its own namespace \(scope Namespaced,/);
    const warn = printed(out, 'Warn');
    expect(warn).toBe(`gptpolicy approve deny-prod -n test --hash ${hash} --stage Warn | kubectl create -f -`);
    await runPrintedCommand(local, warn);
    expect(local.get(GP, 'NamespacedPolicyApproval', 'deny-prod.warn', 'test')).toBeDefined();
    expect(gpOf(local, 'deny-prod', 'test').status?.rollout).toMatchObject({ stage: 'Warn', specHash: hash, approval: 'deny-prod.warn', approvedBy: 'alice' });

    // Through the plugin: -n names the namespaced kind, and the approval lands in that namespace.
    const viaPlugin = await plugin(local, ['review', 'deny-prod', '-n', 'test']);
    expect(viaPlugin.code).toBe(0);
    expect(viaPlugin.out).toContain('stage now: Warn (NamespacedPolicyApproval deny-prod.warn by alice)');
    const deny = printed(viaPlugin.out, 'Deny');
    expect(deny).toBe(`kubectl gptpolicy approve deny-prod -n test --hash ${hash} --stage Deny`);
    expect(await plugin(local, deny.split(' ').slice(2))).toMatchObject({ code: 0, out: expect.stringContaining(`approved hash ${hash} of NamespacedGPTPolicy test/deny-prod for Deny`) });
    expect(local.get(GP, 'NamespacedPolicyApproval', 'deny-prod.deny', 'test')).toBeDefined();
    expect(local.get<JsPolicy>(JSP, 'JsPolicy', 'deny-prod.test.ns-gptpolicy.dev')?.spec.violationPolicy).toBe('Deny');
    expect(gpOf(local, 'deny-prod', 'test').status?.rollout).toMatchObject({ stage: 'Deny', approval: 'deny-prod.deny' });
    // A JsPolicy that no longer has the bound (changed by hand) is said to be unbound.
    const unbound = captured(local, 'deny-prod', 'test').replace('scope: Namespaced', 'scope: "*"');
    expect((await review(unbound)).out).toContain('NOT BOUND to namespace test: this JsPolicy has scope *');
  }, 120_000);
});
