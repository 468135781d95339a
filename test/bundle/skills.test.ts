// The skill library on the built bundle: verified in the cluster, retrieved into the prompt,
// composed into self-contained policies, and fed by approvals.
import { afterEach, describe, expect, it } from 'vitest';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { AdmissionRequest, JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import type { ModelAnswer } from '../../lib/model/answer.ts';
import type { PolicySkill } from '../../lib/skills/types.ts';
import { startFakeModel, type FakeModel, type ScriptedReply } from '../../tools/fake-model/index.ts';
import { builtSkills, LocalJsPolicy } from '../../tools/local/local-jspolicy.ts';
import { admit } from '../../tools/runtime/webhook/admit.ts';
import { requestJson } from '../fixtures/answers.ts';
import { appliedCode } from '../fixtures/bundle.ts';

const GP = 'gptpolicy.dev/v1alpha1';
const JSP = 'policy.jspolicy.com/v1beta1';
const INTENT = 'Deny pods in the apps namespace that use an image with the latest tag or from a registry other than registry.example.com';

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

const podRequest = (image: string): string =>
  requestJson({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'apps' }, spec: { containers: [{ name: 'c', image }] } });

/** An answer that calls two library helpers (containerImages calls allContainers in turn). */
function composedAnswer(): ModelAnswer {
  return {
    plan: { summary: 'images: no latest, only registry.example.com', resources: [{ group: '', version: 'v1', resource: 'pods' }], operations: ['CREATE', 'UPDATE'], namespaces: ['apps'], denies: 'latest tags and other registries', allows: 'pinned images from registry.example.com', mutates: '' },
    policy: {
      type: 'Validating',
      operations: ['CREATE', 'UPDATE'],
      resources: ['pods'],
      apiGroups: [''],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript:
        "for (const image of containerImages(request.object)) { if (usesLatestTag(image)) deny('image ' + image + ' uses the latest tag'); if (!imageFromAllowedRegistry(image, ['registry.example.com'])) deny('image ' + image + ' is not from registry.example.com'); }",
    },
    tests: [
      { name: 'latest is denied', request: podRequest('registry.example.com/web:latest'), expect: 'deny', detail: 'latest' },
      { name: 'another registry is denied', request: podRequest('docker.io/web:1.2'), expect: 'deny', detail: 'registry.example.com' },
      { name: 'a pinned image from the registry is allowed', request: podRequest('registry.example.com/web:1.2'), expect: 'allow', detail: '' },
    ],
  };
}

async function run(script: ScriptedReply[], skills: KubeObject[] = builtSkills()) {
  model = await startFakeModel(script);
  const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl }, skills, objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }] });
  local.settle();
  local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'images' }, spec: { description: INTENT } });
  local.settle();
  const gp = local.get<GPTPolicy>(GP, 'GPTPolicy', 'images') as GPTPolicy;
  return { local, gp, requests: await model.requests() };
}

const skillsIn = (local: LocalJsPolicy) => local.cluster.list(GP, 'PolicySkill') as PolicySkill[];

describe('the starter library in the cluster', () => {
  it('is verified by the controller, every skill', async () => {
    model = await startFakeModel([]);
    const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl }, skills: builtSkills() });
    local.settle();
    const skills = skillsIn(local);
    expect(skills.length).toBeGreaterThanOrEqual(30);
    expect(skills.filter((s) => s.status?.verified !== true).map((s) => `${s.metadata.name}: ${s.status?.message}`)).toEqual([]);
  });
});

describe('retrieval and composition', () => {
  it('puts the relevant helpers in the prompt, and composes a self-contained policy from them', async () => {
    const { local, gp, requests } = await run([{ toolCall: { name: 'submit_policy', arguments: composedAnswer() } }]);
    expect(requests).toHaveLength(1);
    const prompt = JSON.stringify(requests[0]?.body);
    expect(prompt).toContain('usesLatestTag');
    expect(prompt).toContain('imageFromAllowedRegistry');
    expect(prompt).not.toContain('compareQuantities');
    expect(gp.status?.skills?.used).toEqual(expect.arrayContaining(['containerImages', 'allContainers', 'usesLatestTag', 'imageFromAllowedRegistry']));
    expect(skillsIn(local).find((s) => s.spec.function === 'usesLatestTag')?.status?.uses).toBe(1);
    expect(skillsIn(local).find((s) => s.spec.function === 'compareQuantities')?.status?.uses ?? 0).toBe(0);
    expect(gp.status?.conditions?.[0]).toMatchObject({ reason: 'PolicyApplied' });

    // Self-contained: the emitted policy runs on its own, with no library anywhere.
    const policy = local.get<JsPolicy>(JSP, 'JsPolicy', gp.status?.policyName ?? '') as JsPolicy;
    const request = (image: string) => ({ uid: 'u', userInfo: { username: 'a' }, oldObject: null, options: null, ...JSON.parse(podRequest(image)) }) as AdmissionRequest;
    const enforcing = { ...policy, spec: { ...policy.spec, violationPolicy: 'Deny' as const } };
    const bundle = (local.get<KubeObject>(JSP, 'JsPolicyBundle', policy.metadata.name ?? '')?.spec as { bundle: string }).bundle;
    expect(admit(enforcing, request('registry.example.com/web:latest'), { bundle })).toMatchObject({ allowed: false });
    expect(admit(enforcing, request('registry.example.com/web:1.2'), { bundle })).toMatchObject({ allowed: true });
  });

  it('never puts a skill whose tests fail into a prompt', async () => {
    const broken = builtSkills().map((s) => {
      const skill = structuredClone(s) as PolicySkill;
      if (skill.spec.function === 'usesLatestTag') skill.spec.code = 'function usesLatestTag(image) { return false; }';
      return skill;
    });
    const { local, requests } = await run([{ toolCall: { name: 'submit_policy', arguments: composedAnswer() } }], broken);
    expect(skillsIn(local).find((s) => s.spec.function === 'usesLatestTag')?.status).toMatchObject({ verified: false });
    expect(JSON.stringify(requests[0]?.body)).not.toContain('usesLatestTag(image');
  });
});

describe('self-feeding', () => {
  it('approving a policy proposes its example, verification admits it, and the same code is not added twice', async () => {
    const { local, gp } = await run([{ toolCall: { name: 'submit_policy', arguments: composedAnswer() } }]);
    const before = skillsIn(local).length;
    const approve = (name: string) => {
      local.cluster.create({ apiVersion: GP, kind: 'PolicyApproval', metadata: { name }, spec: { gptPolicy: 'images', stage: 'Deny', specHash: gp.status?.rollout?.specHash } }, { username: 'alice' });
      local.settle();
    };
    approve('images.deny');
    const learned = skillsIn(local).filter((s) => s.spec.provenance?.source === 'learned');
    expect(skillsIn(local)).toHaveLength(before + 1);
    expect(learned[0]?.spec).toMatchObject({ kind: 'example', provenance: { gptPolicy: 'images' } });
    expect(learned[0]?.status).toMatchObject({ verified: true });
    // Withdrawn and approved again: the same code adds nothing.
    local.cluster.remove(GP, 'PolicyApproval', undefined, 'images.deny');
    local.settle();
    approve('images.deny');
    expect(skillsIn(local)).toHaveLength(before + 1);
  });
});

const deployment = (replicas: number): string =>
  requestJson({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'apps' }, spec: { replicas } });

/** A small step: the model first proposes a helper with its own tests, then calls it. */
function smallStepAnswer(helperCode = 'function replicasOver(obj, max) { return (obj?.spec?.replicas ?? 1) > max; }'): ModelAnswer {
  return {
    plan: { summary: 'at most 5 replicas', resources: [{ group: 'apps', version: 'v1', resource: 'deployments' }], operations: ['CREATE', 'UPDATE'], namespaces: ['apps'], denies: 'more than 5 replicas', allows: '5 or fewer', mutates: '' },
    helpers: [
      {
        function: 'replicasOver',
        description: 'Whether a workload asks for more than max replicas (1 when unset).',
        code: helperCode,
        reusable: true,
        tests: [
          { name: 'ten is over five', call: 'replicasOver(request.object, 5)', request: deployment(10), expect: 'truthy', detail: '' },
          { name: 'three is not', call: 'replicasOver(request.object, 5)', request: deployment(3), expect: 'falsy', detail: '' },
        ],
      },
    ],
    policy: {
      type: 'Validating',
      operations: ['CREATE', 'UPDATE'],
      resources: ['deployments'],
      apiGroups: ['apps'],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: "if (replicasOver(request.object, 5)) { deny('at most 5 replicas in apps'); }",
    },
    tests: [
      { name: 'ten replicas are denied', request: deployment(10), expect: 'deny', detail: 'at most 5' },
      { name: 'three replicas are allowed', request: deployment(3), expect: 'allow', detail: '' },
    ],
  };
}

describe('small steps', () => {
  const REPLICAS = 'Deny deployments in the apps namespace with more than 5 replicas';

  async function runReplicas(script: ScriptedReply[]) {
    model = await startFakeModel(script);
    const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl }, objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }] });
    local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'replicas' }, spec: { description: REPLICAS } });
    local.settle();
    return { local, gp: local.get<GPTPolicy>(GP, 'GPTPolicy', 'replicas') as GPTPolicy, requests: await model.requests() };
  }

  it('a proposed helper is verified on its own, composed into the policy, and offered to the library on approval', async () => {
    const { local, gp, requests } = await runReplicas([{ toolCall: { name: 'submit_policy', arguments: smallStepAnswer() } }]);
    expect(requests).toHaveLength(1);
    expect(gp.status?.conditions?.[0]).toMatchObject({ reason: 'PolicyApplied' });
    expect(gp.status?.skills?.used).toEqual(['replicasOver']);
    const policy = local.get<JsPolicy>(JSP, 'JsPolicy', gp.status?.policyName ?? '') as JsPolicy;
    expect(appliedCode(local, policy.metadata.name ?? '')).toContain('function replicasOver');
    local.cluster.create({ apiVersion: GP, kind: 'PolicyApproval', metadata: { name: 'replicas.deny' }, spec: { gptPolicy: 'replicas', stage: 'Deny', specHash: gp.status?.rollout?.specHash } }, { username: 'alice' });
    local.settle();
    const learned = skillsIn(local).filter((s) => s.spec.provenance?.source === 'learned');
    expect(learned.map((s) => s.spec.function).sort()).toEqual(['exampleReplicas', 'replicasOver']);
    expect(learned.every((s) => s.status?.verified === true)).toBe(true);
  });

  it("a proposed helper that fails its own tests goes back to the model, and the policy's tests do not run", async () => {
    const wrong = smallStepAnswer('function replicasOver(obj, max) { return (obj?.spec?.replicas ?? 1) < max; }');
    const { gp, requests } = await runReplicas([
      { toolCall: { name: 'submit_policy', arguments: wrong } },
      { toolCall: { name: 'submit_policy', arguments: smallStepAnswer() } },
    ]);
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]?.body)).toContain('helper replicasOver');
    expect(gp.status?.conditions?.[0]).toMatchObject({ reason: 'PolicyApplied' });
  });
});
