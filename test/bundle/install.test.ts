// The release (manifests/gptpolicy.yaml) applied to a cluster running jsPolicy, in any order, as one
// `kubectl apply` or a GitOps tool would: jsPolicy starts a controller policy once per hash and never
// retries (the runtime keeps that rule), so only the bootstrap getting the order right makes these pass.
import { afterEach, describe, expect, it } from 'vitest';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import { startFakeModel, type FakeModel } from '../../tools/fake-model/index.ts';
import { LocalInstall, type LocalInstallOptions } from '../../tools/local/local-install.ts';
import { INSTALL_LABEL, INSTALLED, PAYLOAD_KEY } from '../../lib/install/plan.ts';
import { sha256Hex } from '../../lib/util/sha256.ts';
import { BOOKKEEPER_POLICY, CONTROLLER_POLICY, readYamlObjects } from '../../tools/local/local-jspolicy.ts';
import { repoFile } from '../../tools/local/paths.ts';
import { denyProdAnswer, INCIDENT_INTENT } from '../fixtures/answers.ts';

const GP = 'gptpolicy.dev/v1alpha1';
const JSP = 'policy.jspolicy.com/v1beta1';
const BOOTSTRAP = 'gptpolicy-bootstrap.gptpolicy.dev';
const EPOCH = Date.parse('2026-01-01T00:00:00Z');

const release = (): KubeObject[] => readYamlObjects(repoFile('manifests/gptpolicy.yaml'));
const parts = (file: string): KubeObject[] => readYamlObjects(repoFile(`manifests/${file}`));
const starterSkills = (): KubeObject[] => parts('gptpolicy-skills.yaml');

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

async function cluster(options: LocalInstallOptions = {}): Promise<{ local: LocalInstall; logs: string[] }> {
  model = await startFakeModel([{ toolCall: { name: 'submit_policy', arguments: denyProdAnswer() } }]);
  const logs: string[] = [];
  const local = new LocalInstall({ apiKey: 'sk-test', env: { OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: 'fake' }, epochMs: EPOCH, log: (l) => logs.push(l), ...options });
  return { local, logs };
}

const policy = (local: LocalInstall, name: string) => local.cluster.get(JSP, 'JsPolicy', undefined, name) as JsPolicy | undefined;
const controllerReady = (local: LocalInstall, name: string) => policy(local, name)?.status?.conditions?.find((c) => c.type === 'ControllerReady')?.status;
const skills = (local: LocalInstall): KubeObject[] => local.cluster.list(GP, 'PolicySkill');

/** The controllers run (jsPolicy started them, not only marked them Ready), and a GPTPolicy gets its policy. */
async function expectWorking(local: LocalInstall, otherSkills: string[] = []): Promise<void> {
  expect(local.running()).toEqual([BOOTSTRAP, BOOKKEEPER_POLICY, CONTROLLER_POLICY].sort());
  for (const name of [BOOTSTRAP, CONTROLLER_POLICY, BOOKKEEPER_POLICY]) expect(controllerReady(local, name), name).toBe('True');
  expect(skills(local).map((s) => s.metadata.name).sort()).toEqual([...starterSkills().map((s) => s.metadata.name), ...otherSkills].sort());
  local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'deny-prod' }, spec: { description: INCIDENT_INTENT } });
  local.settle();
  const gp = local.cluster.get(GP, 'GPTPolicy', undefined, 'deny-prod') as GPTPolicy;
  expect(gp.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'PolicyApplied' });
  expect(policy(local, 'deny-prod.gptpolicy.dev')).toBeDefined();
  expect(await model?.requests()).toHaveLength(1);
}

/** A fixed shuffle (mulberry32), so a failing order can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed;
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const isCrd = (o: KubeObject): boolean => o.kind === 'CustomResourceDefinition';
const isBootstrap = (o: KubeObject): boolean => o.metadata.name === BOOTSTRAP;

const orders: Array<[string, (objects: KubeObject[]) => KubeObject[]]> = [
  ['as written (CRDs first)', (o) => o],
  ['CRDs last', (o) => [...o.filter((x) => !isCrd(x)), ...o.filter(isCrd)]],
  ['bootstrap first, CRDs last', (o) => [...o.filter(isBootstrap), ...o.filter((x) => !isBootstrap(x) && !isCrd(x)), ...o.filter(isCrd)]],
  ['shuffled (seed 1)', (o) => shuffled(o, 1)],
];

describe('one apply of the release, in any order', () => {
  for (const [name, order] of orders) {
    it(`${name}: the controllers end running and reconcile a GPTPolicy`, async () => {
      const { local } = await cluster();
      for (const object of order(release())) {
        local.apply(object);
        // jsPolicy works while the apply goes on: the bootstrap may run between any two objects.
        local.settle({ maxVirtualMs: 1000 });
      }
      local.settle();
      await expectWorking(local);
    }, 240_000);
  }

  it('all at once while jsPolicy was down: it starts into the whole release', async () => {
    const { local } = await cluster({ objects: release() });
    local.settle();
    await expectWorking(local);
  }, 240_000);

  it('a deleted controller comes back at the next event of the bootstrap (the README\'s annotation), and runs', async () => {
    const { local } = await cluster();
    for (const object of release()) local.apply(object);
    local.settle();
    expect(local.cluster.remove(JSP, 'JsPolicy', undefined, CONTROLLER_POLICY).ok).toBe(true);
    local.settle();
    expect(policy(local, CONTROLLER_POLICY)).toBeUndefined();
    expect(local.running()).toEqual([BOOTSTRAP, BOOKKEEPER_POLICY].sort());
    const bootstrap = policy(local, BOOTSTRAP) as JsPolicy;
    local.apply({ ...bootstrap, metadata: { ...bootstrap.metadata, annotations: { ...bootstrap.metadata.annotations, 'gptpolicy.dev/poke': '1' } } });
    local.settle();
    await expectWorking(local);
  }, 240_000);

  it('waits for the CRDs without installing anything, and installs when they come', async () => {
    const { local, logs } = await cluster();
    for (const object of release().filter((o) => !isCrd(o))) local.apply(object);
    local.settle({ maxVirtualMs: 60_000 });
    expect(local.running()).toEqual([BOOTSTRAP]);
    expect(policy(local, CONTROLLER_POLICY)).toBeUndefined();
    expect(logs.join('\n')).toContain('CRDs not applied yet');
    for (const crd of release().filter(isCrd)) local.apply(crd);
    local.settle();
    await expectWorking(local);
  }, 240_000);
});

const APP = 'app.kubernetes.io/name';
const VERSION = 'app.kubernetes.io/version';
const ours = (local: LocalInstall): KubeObject[] =>
  [...local.cluster.list(JSP, 'JsPolicy'), ...skills(local)].filter((o) => o.metadata.labels?.[APP] === 'gptpolicy');

/**
 * The previous release as it was installed before the bootstrap: the three files applied directly,
 * objects without our install label, an older version, and one starter skill's code that this release
 * changed.
 */
function previousRelease(): { controller: KubeObject[]; crds: KubeObject[]; skills: KubeObject[] } {
  const older = (o: KubeObject): KubeObject => {
    const labels: Record<string, string> = { ...o.metadata.labels, [VERSION]: '0.0.9' };
    delete labels[INSTALL_LABEL];
    return { ...o, metadata: { ...o.metadata, labels } };
  };
  const skillsBefore = parts('gptpolicy-skills.yaml').map(older);
  const changed = skillsBefore[0] as KubeObject;
  skillsBefore[0] = { ...changed, spec: { ...(changed.spec as object), description: 'what the previous release said' } };
  return { controller: parts('gptpolicy-controller.yaml').map(older), crds: parts('gptpolicy-crds.yaml').map(older), skills: skillsBefore };
}

const learnedSkill = (): KubeObject => ({
  ...(starterSkills()[1] as KubeObject),
  metadata: { name: 'learned-from-deny-prod', labels: { 'gptpolicy.dev/skill-source': 'learned', 'gptpolicy.dev/learned-from': 'deny-prod' } },
});

describe('upgrades', () => {
  it('from the previous manifests, applied directly and stuck at InitControllerPolicy: the release adopts and starts them, nothing orphaned', async () => {
    const { local } = await cluster();
    const previous = previousRelease();
    // The install-order trap of the previous README: the controllers before their CRDs.
    for (const object of [...previous.controller, ...previous.crds, ...previous.skills]) local.apply(object);
    local.apply(learnedSkill());
    local.settle();
    expect(controllerReady(local, CONTROLLER_POLICY)).toBe('False');
    expect(local.running()).toEqual([]);

    for (const object of release()) local.apply(object);
    local.settle();
    const starter = new Map(starterSkills().map((s) => [s.metadata.name, s]));
    for (const skill of skills(local).filter((s) => starter.has(s.metadata.name))) {
      expect(skill.metadata.labels?.[INSTALL_LABEL], skill.metadata.name).toBe(INSTALLED);
      expect(skill.metadata.ownerReferences?.map((r) => r.name)).toEqual([BOOTSTRAP]);
      expect(skill.spec, skill.metadata.name).toEqual(starter.get(skill.metadata.name)?.spec);
    }
    // jsPolicy would never retry them with the same hash: the bootstrap restarted them with a new one of the same meaning.
    for (const name of [CONTROLLER_POLICY, BOOKKEEPER_POLICY]) expect(policy(local, name)?.metadata.annotations?.['gptpolicy.dev/restarts'], name).toBe('1');
    // Nothing of the previous release is left behind: every object of ours is this release's.
    expect(ours(local).filter((o) => o.metadata.labels?.[VERSION] === '0.0.9').map((o) => o.metadata.name)).toEqual([]);
    expect(local.cluster.get(GP, 'PolicySkill', undefined, 'learned-from-deny-prod')).toMatchObject({ metadata: { labels: { 'gptpolicy.dev/skill-source': 'learned' } }, spec: learnedSkill().spec });
    expect(local.cluster.get(GP, 'PolicySkill', undefined, 'learned-from-deny-prod')?.metadata.labels?.[INSTALL_LABEL]).toBeUndefined();
    await expectWorking(local, ['learned-from-deny-prod']);
  }, 240_000);

  it('to a next release: changed objects updated, dropped ones deleted, and a half-applied upgrade changes nothing', async () => {
    const { local, logs } = await cluster();
    const current = release();
    for (const object of current) local.apply(object);
    local.settle();
    expect(local.running()).toEqual([BOOTSTRAP, BOOKKEEPER_POLICY, CONTROLLER_POLICY].sort());

    // The next release, as its build would make it: a skill dropped, another changed, in the same
    // ConfigMap; its sha256 in the bootstrap's code (the only place the build puts it).
    const chunk = current.find((o) => o.metadata.name === 'gptpolicy-install-2') as KubeObject & { data: Record<string, string> };
    const objects = JSON.parse(chunk.data[PAYLOAD_KEY] as string) as KubeObject[];
    const [dropped, changed] = objects.filter((o) => o.kind === 'PolicySkill') as [KubeObject, KubeObject];
    const nextObjects = objects.filter((o) => o !== dropped).map((o) => (o === changed ? { ...o, spec: { ...(o.spec as object), description: 'the next release says this' } } : o));
    const nextText = JSON.stringify(nextObjects);
    const nextChunk = { ...chunk, data: { [PAYLOAD_KEY]: nextText } };
    const bootstrap = current.find(isBootstrap) as JsPolicy;
    const oldSha = sha256Hex(chunk.data[PAYLOAD_KEY] as string);
    expect(bootstrap.spec.javascript).toContain(oldSha);
    const nextBootstrap = { ...bootstrap, spec: { ...bootstrap.spec, javascript: (bootstrap.spec.javascript as string).replace(oldSha, sha256Hex(nextText)) } };
    const skill = (name: string | undefined) => local.cluster.get(GP, 'PolicySkill', undefined, name ?? '');

    // Half applied, new ConfigMap first: the running bootstrap's sha256 does not match it; nothing changes.
    local.apply(nextChunk);
    local.jsPolicy.controllerLoops().find((l) => l.policy().metadata.name === BOOTSTRAP)?.requeueAll();
    local.settle({ maxVirtualMs: 60_000 });
    expect(skill(dropped.metadata.name)).toBeDefined();
    expect(skill(changed.metadata.name)?.spec).toEqual(changed.spec);
    expect(logs.join('\n')).toContain('gptpolicy-install-2 is not the one this bootstrap was built with');

    // Half applied the other way: the next bootstrap over the old ConfigMap changes nothing either.
    local.apply(chunk);
    local.apply(nextBootstrap);
    local.settle({ maxVirtualMs: 60_000 });
    expect(skill(dropped.metadata.name)).toBeDefined();
    expect(skill(changed.metadata.name)?.spec).toEqual(changed.spec);

    // The rest of the release arrives: the waiting bootstrap finishes the upgrade.
    local.apply(nextChunk);
    local.settle();
    expect(skill(dropped.metadata.name)).toBeUndefined();
    expect(skill(changed.metadata.name)?.spec).toMatchObject({ description: 'the next release says this' });
    expect(local.running()).toEqual([BOOTSTRAP, BOOKKEEPER_POLICY, CONTROLLER_POLICY].sort());
    for (const name of [BOOTSTRAP, CONTROLLER_POLICY, BOOKKEEPER_POLICY]) expect(controllerReady(local, name), name).toBe('True');
  }, 240_000);
});
