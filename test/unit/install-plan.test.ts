// The bootstrap's decisions (lib/install/): desired + observed → writes, without a cluster.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import { INSTALL_LABEL, INSTALLED, MAX_RESTARTS, planObjects, readPayload, RESTARTS_ANNOTATION, waitingForCrds, type InstallManifest } from '../../lib/install/plan.ts';
import { restartedApiVersions, sameMeaning, sameStartHash } from '../../lib/install/start-hash.ts';
import { jsonEqual } from '../../lib/util/json-equal.ts';
import { sha256Hex } from '../../lib/util/sha256.ts';

const OWNER = { name: 'gptpolicy-bootstrap.gptpolicy.dev', uid: 'uid-boot' };
const JSP = 'policy.jspolicy.com/v1beta1';
const GP = 'gptpolicy.dev/v1alpha1';

const controller = (spec: Partial<JsPolicy['spec']> = {}, labels: Record<string, string> = { 'app.kubernetes.io/name': 'gptpolicy', 'app.kubernetes.io/version': '2' }): JsPolicy => ({
  apiVersion: JSP,
  kind: 'JsPolicy',
  metadata: { name: 'gptpolicy-controller.gptpolicy.dev', labels },
  spec: { type: 'Controller', resources: ['gptpolicies'], apiGroups: ['gptpolicy.dev'], apiVersions: ['v1alpha1'], javascript: 'new()', ...spec },
});
const skill = (name: string, labels: Record<string, string> = { 'app.kubernetes.io/name': 'gptpolicy', 'gptpolicy.dev/skill-source': 'hand-written' }, code = 'f'): KubeObject => ({
  apiVersion: GP,
  kind: 'PolicySkill',
  metadata: { name, labels },
  spec: { function: name, code },
});
/** As the bootstrap installed it: our label, our owner, a uid and a status of the API server's. */
const installed = (o: KubeObject): KubeObject => ({
  ...o,
  metadata: {
    ...o.metadata,
    uid: `uid-${o.metadata.name}`,
    resourceVersion: '7',
    generation: 1,
    labels: { ...o.metadata.labels, [INSTALL_LABEL]: INSTALLED },
    ownerReferences: [{ apiVersion: JSP, kind: 'JsPolicy', name: OWNER.name, uid: OWNER.uid }],
  },
});
const stuck = (o: JsPolicy, generation = 1): JsPolicy => ({
  ...o,
  metadata: { ...o.metadata, generation },
  status: { observedGeneration: generation, conditions: [{ type: 'ControllerReady', status: 'False', reason: 'InitControllerPolicy', message: 'error starting controller policy: get kinds for resource gptpolicies: no matches' }] },
});
const ops = (plan: ReturnType<typeof planObjects>): string[] => plan.actions.map((a) => `${a.op}${a.op === 'update' ? `(${a.why})` : ''} ${a.object.metadata.name}`);

describe('planObjects', () => {
  it('creates what is missing, labelled as installed and owned by the bootstrap', () => {
    const plan = planObjects([controller(), skill('a')], [], OWNER);
    expect(ops(plan)).toEqual(['create gptpolicy-controller.gptpolicy.dev', 'create a']);
    expect(plan.actions[0]?.object.metadata).toMatchObject({ labels: { [INSTALL_LABEL]: INSTALLED }, ownerReferences: [{ kind: 'JsPolicy', name: OWNER.name, uid: OWNER.uid }] });
  });

  it('does nothing when the cluster already holds the release, whatever the key order or status', () => {
    const existing = [installed(controller()), installed(skill('a'))].map((o) => ({ ...JSON.parse(JSON.stringify(o)), status: { x: 1 } }));
    expect(planObjects([controller(), skill('a')], existing, OWNER).actions).toEqual([]);
  });

  it('adopts what a previous release applied directly, keeping status, uid, resourceVersion and foreign labels', () => {
    const previous = { ...skill('a', { 'app.kubernetes.io/name': 'gptpolicy', 'app.kubernetes.io/version': '1', team: 'x' }, 'old'), metadata: { name: 'a', uid: 'u', resourceVersion: '3', labels: { 'app.kubernetes.io/name': 'gptpolicy', 'app.kubernetes.io/version': '1', team: 'x' } }, status: { verified: true } };
    const plan = planObjects([skill('a', { 'app.kubernetes.io/name': 'gptpolicy', 'app.kubernetes.io/version': '2' }, 'new')], [previous], OWNER);
    expect(ops(plan)).toEqual(['update(adopted) a']);
    expect(plan.actions[0]?.object).toMatchObject({ metadata: { uid: 'u', resourceVersion: '3', labels: { team: 'x', 'app.kubernetes.io/version': '2', [INSTALL_LABEL]: INSTALLED } }, spec: { code: 'new' }, status: { verified: true } });
  });

  it('never touches a learned skill or a user object under one of our names, and says so', () => {
    const learned = skill('a', { 'gptpolicy.dev/skill-source': 'learned', 'app.kubernetes.io/name': 'gptpolicy', 'app.kubernetes.io/version': '1' });
    const users = skill('b', { team: 'x' });
    const unversioned = skill('c', { 'app.kubernetes.io/name': 'gptpolicy' });
    const plan = planObjects([skill('a'), skill('b'), skill('c')], [learned, users, unversioned], OWNER);
    expect(plan.actions).toEqual([]);
    expect(plan.warnings).toEqual(['a', 'b', 'c'].map((n) => `PolicySkill ${n} exists and is not gptpolicy's: left alone`));
  });

  it('deletes only what it installed and the release no longer has', () => {
    const dropped = installed(skill('dropped'));
    const ownedByAnother = { ...installed(skill('other')), metadata: { ...installed(skill('other')).metadata, ownerReferences: [{ apiVersion: JSP, kind: 'JsPolicy', name: 'someone-else.example.com', uid: 'x' }] } };
    const plan = planObjects([skill('a')], [installed(skill('a')), dropped, ownedByAnother, skill('previous-release-only'), skill('learned', { 'gptpolicy.dev/skill-source': 'learned' })], OWNER);
    expect(ops(plan)).toEqual(['delete dropped']);
  });

  it('restarts a controller jsPolicy failed to start with a new start hash of the same meaning, and counts it', () => {
    const plan = planObjects([controller()], [stuck(installed(controller()) as JsPolicy)], OWNER);
    expect(ops(plan)).toEqual(['update(restart) gptpolicy-controller.gptpolicy.dev']);
    const next = plan.actions[0]?.object as JsPolicy;
    expect(next.spec.apiVersions).toEqual(['v1alpha1', 'v1alpha1']);
    expect(next.metadata.annotations?.[RESTARTS_ANNOTATION]).toBe('1');
    // The restart's spelling stays once it started: the desired ['v1alpha1'] means the same.
    const started = { ...installed(next), status: { observedGeneration: 2, conditions: [{ type: 'ControllerReady', status: 'True' }] } };
    expect(planObjects([controller()], [started], OWNER).actions).toEqual([]);
    // Stuck again: back to the first spelling.
    const again = planObjects([controller()], [stuck(started as JsPolicy, 2)], OWNER).actions[0]?.object as JsPolicy;
    expect(again.spec.apiVersions).toEqual(['v1alpha1']);
    expect(again.metadata.annotations?.[RESTARTS_ANNOTATION]).toBe('2');
  });

  it('waits for jsPolicy to reconcile a change before calling a controller stuck, and gives up after MAX_RESTARTS', () => {
    const stale = { ...stuck(installed(controller()) as JsPolicy), metadata: { ...installed(controller()).metadata, generation: 2 } };
    expect(planObjects([controller()], [stale], OWNER).actions).toEqual([]);
    const tired = stuck(installed(controller()) as JsPolicy);
    tired.metadata.annotations = { [RESTARTS_ANNOTATION]: String(MAX_RESTARTS) };
    const plan = planObjects([controller()], [tired], OWNER);
    expect(plan.actions).toEqual([]);
    expect(plan.warnings[0]).toMatch(/could not start it 4 times .* restart jsPolicy$/);
  });

  it('an upgrade of a stuck controller is its restart (new code, new hash) and resets the count', () => {
    const old = stuck(installed(controller({ javascript: 'old()' })) as JsPolicy);
    old.metadata.annotations = { [RESTARTS_ANNOTATION]: '2' };
    const plan = planObjects([controller()], [old], OWNER);
    expect(ops(plan)).toEqual(['update(changed) gptpolicy-controller.gptpolicy.dev']);
    expect(plan.actions[0]?.object.metadata.annotations).toBeUndefined();
    expect((plan.actions[0]?.object as JsPolicy).spec).toMatchObject({ javascript: 'new()', apiVersions: ['v1alpha1'] });
  });
});

describe('start hash', () => {
  it('restartedApiVersions alternates between two spellings of the same set', () => {
    expect(restartedApiVersions(undefined)).toEqual(['*']);
    expect(restartedApiVersions([])).toEqual(['*']);
    expect(restartedApiVersions(['*'])).toBeUndefined();
    expect(restartedApiVersions(['v1', 'v2'])).toEqual(['v1', 'v2', 'v2']);
    expect(restartedApiVersions(['v1', 'v2', 'v2'])).toEqual(['v1', 'v2']);
    for (const list of [undefined, ['*'], ['v1'], ['v1', 'v2']]) {
      const spec = { apiVersions: list };
      const restarted = { apiVersions: restartedApiVersions(list) };
      expect(sameMeaning(spec, restarted)).toBe(true);
      expect(sameStartHash(spec, restarted)).toBe(false);
    }
    expect(sameStartHash({ apiVersions: [] }, {})).toBe(true);
    expect(sameMeaning({ apiVersions: ['v1'] }, { apiVersions: ['v2'] })).toBe(false);
  });
});

describe('waiting and the payload', () => {
  const text = JSON.stringify([skill('a')]);
  const manifest: InstallManifest = { crds: ['a.example.com'], chunks: [{ name: 'gptpolicy-install-1', sha256: sha256Hex(text) }] };

  it('names what it waits for', () => {
    expect(waitingForCrds([{ name: 'a', absent: true }, { name: 'b', established: false }, { name: 'c', established: true }])).toBe('CRDs not applied yet: a; CRDs not Established yet: b');
    expect(waitingForCrds([{ name: 'c', established: true }])).toBeUndefined();
  });

  it('reads the payload only when every chunk is the one it was built with', () => {
    expect(readPayload(manifest, 'ns', [text])).toEqual({ ok: true, objects: [skill('a')] });
    expect(readPayload(manifest, 'ns', [undefined])).toEqual({ ok: false, message: 'ConfigMap ns/gptpolicy-install-1 (key objects.json) is not applied yet' });
    const other = readPayload(manifest, 'ns', [JSON.stringify([skill('b')])]);
    expect(other.ok).toBe(false);
    expect(!other.ok && other.message).toMatch(/^ConfigMap ns\/gptpolicy-install-1 is not the one this bootstrap was built with .*: apply the whole release$/);
  });

  it('sha256Hex is the UTF-8 SHA-256 (multi-byte and astral characters too)', () => {
    for (const s of ['', 'abc', 'é→✓', '𝒳 and 😀', 'x'.repeat(100_000)]) expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
  });

  it('jsonEqual ignores key order and undefined keys, nothing else', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1, d: undefined })).toBe(true);
    expect(jsonEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: '1' })).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
  });
});
