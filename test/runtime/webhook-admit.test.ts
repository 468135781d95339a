import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, JsPolicy, JsPolicySpec, KubeObject } from '../../lib/k8s/types.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import { admit } from '../../tools/runtime/webhook/admit.ts';
import { applyJsonPatch } from '../../tools/runtime/webhook/json-patch.ts';
import type { PolicyViolation } from '../../tools/runtime/webhook/audit.ts';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const now = (): number => NOW;

const policy = (javascript: string, spec: JsPolicySpec = {}, name = 'p.example.com'): JsPolicy => ({
  apiVersion: 'policy.jspolicy.com/v1beta1',
  kind: 'JsPolicy',
  metadata: { name },
  spec: { operations: ['CREATE'], resources: ['pods'], javascript, ...spec },
});

const podObject = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'team', labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
});

const request = (overrides: Partial<AdmissionRequest> = {}): AdmissionRequest => ({
  uid: 'uid-1',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  name: 'web',
  namespace: 'team',
  operation: 'CREATE',
  userInfo: { username: 'alice', uid: 'alice-uid' },
  object: podObject(),
  oldObject: null,
  options: null,
  ...overrides,
});

const newCluster = (objects: KubeObject[] = []): InMemoryCluster =>
  new InMemoryCluster({ now, objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, ...objects] });

const violations = (cluster: InMemoryCluster, name = 'p.example.com'): PolicyViolation[] =>
  ((cluster.get('policy.jspolicy.com/v1beta1', 'JsPolicyViolations', undefined, name)?.status as { violations?: PolicyViolation[] } | undefined)?.violations ?? []);

describe('admit: mapping of the policy response (handler.go)', () => {
  it('is unmatched (and does not run) when the webhook does not select the request', () => {
    expect(admit(policy('throw new Error("ran")', { operations: ['UPDATE'] }), request())).toEqual({ matched: false, allowed: true, warnings: [] });
  });

  it('allows when the script ends without a verdict, warnings prefixed with the policy name', () => {
    const outcome = admit(policy('warn("one"); warn("two")'), request());
    expect(outcome).toMatchObject({ matched: true, allowed: true, warnings: ['[p.example.com]: one', '[p.example.com]: two'] });
    expect(outcome.violation).toBeUndefined();
  });

  it('deny() → 403 Forbidden with the message, warnings kept', () => {
    const outcome = admit(policy('warn("w"); deny("no pods here")'), request());
    expect(outcome).toMatchObject({ allowed: false, code: 403, reason: 'Forbidden', message: 'no pods here', warnings: ['[p.example.com]: w'] });
    expect(outcome.violation).toEqual({ kind: 'deny', code: 403, reason: 'Forbidden', message: 'no pods here' });
  });

  it('deny() with reason and code', () => {
    expect(admit(policy('deny("m", "Invalid", 422)'), request())).toMatchObject({ allowed: false, code: 422, reason: 'Invalid', message: 'm' });
  });

  it('the request the script sees is the Go-shaped admission request', () => {
    const outcome = admit(policy('deny(JSON.stringify(Object.keys(request)))'), request({ dryRun: false }));
    expect(JSON.parse(outcome.message ?? '')).toEqual(['uid', 'kind', 'resource', 'name', 'namespace', 'operation', 'userInfo', 'object', 'oldObject', 'dryRun', 'options']);
  });

  it.each([
    ['a thrown Error', 'throw new Error("boom")', /^Uncaught Error: boom/],
    ['a thrown string', 'throw "plain"', /^plain$/],
    ['an undecodable __response', 'deny("m", "r", "400")', /cannot unmarshal/],
    ['a non-string warning', 'warn(5)', /cannot unmarshal/],
  ])('an error (%s) → allowed:false code 500, no reason, warnings dropped', (_name, javascript, message) => {
    const outcome = admit(policy(`warn("lost"); ${javascript}`), request());
    expect(outcome.allowed).toBe(false);
    expect(outcome.code).toBe(500);
    expect(outcome.reason).toBeUndefined();
    expect(outcome.warnings).toEqual([]);
    expect(outcome.error).toMatch(message);
    expect(outcome.message).toBe(outcome.error);
    expect(outcome.violation?.kind).toBe('error');
  });

  it('a timeout is an error naming the policy', () => {
    const outcome = admit(policy('while (true) {}', { timeoutSeconds: 1 }), request());
    expect(outcome).toMatchObject({ allowed: false, code: 500, error: 'script p.example.com timed out' });
  });
});

describe('admit: mutation', () => {
  const mutating = (javascript: string, spec: JsPolicySpec = {}): JsPolicy => policy(javascript, { type: 'Mutating', ...spec });

  it('computes a JSON patch from the original object to the patched one', () => {
    const outcome = admit(
      mutating('request.object.metadata.annotations = {a: "1"}; request.object.spec.containers.push({name: "side", image: "busybox"}); delete request.object.metadata.labels; mutate(request.object)'),
      request(),
    );
    expect(outcome.allowed).toBe(true);
    expect(outcome.patch?.length).toBeGreaterThan(0);
    const expected = podObject();
    expected.metadata.annotations = { a: '1' };
    delete expected.metadata.labels;
    (expected.spec as { containers: unknown[] }).containers.push({ name: 'side', image: 'busybox' });
    expect(applyJsonPatch(request().object, outcome.patch ?? [])).toEqual(expected);
    expect(outcome.patchedObject).toEqual(expected);
  });

  it('no patch when mutate() changes nothing', () => {
    const outcome = admit(mutating('mutate(request.object)'), request());
    expect(outcome.allowed).toBe(true);
    expect(outcome.patch).toBeUndefined();
  });

  it('mutate() in a Validating policy is ignored (plain allow)', () => {
    const outcome = admit(policy('request.object.metadata.name = "x"; mutate(request.object)'), request());
    expect(outcome).toMatchObject({ allowed: true });
    expect(outcome.patch).toBeUndefined();
  });

  it('violationPolicy Dry drops patches even on allow', () => {
    const outcome = admit(mutating('request.object.metadata.name = "x"; mutate(request.object)', { violationPolicy: 'Dry' }), request());
    expect(outcome.allowed).toBe(true);
    expect(outcome.patch).toBeUndefined();
    expect(outcome.patchedObject).toBeUndefined();
  });
});

describe('admit: violationPolicy and the audit log', () => {
  it('Warn turns a deny into an allow with a warning, and records action Warn', () => {
    const cluster = newCluster();
    const outcome = admit(policy('warn("first"); deny("not here")', { violationPolicy: 'Warn' }), request(), { cluster, now });
    expect(outcome).toMatchObject({ matched: true, allowed: true, warnings: ['[p.example.com]: first', '[p.example.com]: not here'] });
    expect(outcome.violation).toMatchObject({ kind: 'deny', message: 'not here' });
    expect(violations(cluster)).toEqual([
      {
        action: 'Warn',
        code: 403,
        reason: 'Forbidden',
        message: 'not here',
        requestInfo: { name: 'web', namespace: 'team', kind: 'Pod', apiVersion: 'v1', operation: 'CREATE' },
        userInfo: { username: 'alice', uid: 'alice-uid' },
        timestamp: '2024-05-01T12:00:00Z',
      },
    ]);
  });

  it('Warn also turns an error into an allow with a warning', () => {
    const outcome = admit(policy('throw new Error("bad")', { violationPolicy: 'Warn' }), request());
    expect(outcome.allowed).toBe(true);
    expect(outcome.warnings).toHaveLength(1);
    expect(outcome.warnings[0]).toMatch(/^\[p\.example\.com\]: Uncaught Error: bad/);
    expect(outcome.error).toMatch(/bad/);
  });

  it('Dry allows silently and records action Dry', () => {
    const cluster = newCluster();
    const outcome = admit(policy('deny("nope")', { violationPolicy: 'Dry' }), request(), { cluster, now });
    expect(outcome).toMatchObject({ allowed: true, warnings: [] });
    expect(outcome.violation?.kind).toBe('deny');
    expect(violations(cluster).map((v) => v.action)).toEqual(['Dry']);
  });

  it('Deny records action Deny; errors are recorded with code 500 and no reason', () => {
    const cluster = newCluster();
    admit(policy('deny("a")'), request(), { cluster, now });
    admit(policy('throw "b"'), request(), { cluster, now });
    expect(violations(cluster).map((v) => [v.action, v.code, v.reason, v.message])).toEqual([
      ['Deny', 403, 'Forbidden', 'a'],
      ['Deny', 500, undefined, 'b'],
    ]);
  });

  it('the violations object is cluster-scoped, named like the policy and owned by it', () => {
    const stored = policy('deny("x")');
    const cluster = newCluster([stored]);
    const live = cluster.get('policy.jspolicy.com/v1beta1', 'JsPolicy', undefined, 'p.example.com') as JsPolicy;
    admit(live, request(), { cluster, now });
    const object = cluster.get('policy.jspolicy.com/v1beta1', 'JsPolicyViolations', undefined, 'p.example.com');
    expect(object?.metadata.ownerReferences).toEqual([
      { apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicy', name: 'p.example.com', uid: live.metadata.uid, controller: true },
    ]);
  });

  it('auditPolicy Skip records nothing; allowed requests are never recorded', () => {
    const cluster = newCluster();
    admit(policy('deny("x")', { auditPolicy: 'Skip' }), request(), { cluster, now });
    admit(policy('allow()'), request(), { cluster, now });
    expect(cluster.get('policy.jspolicy.com/v1beta1', 'JsPolicyViolations', undefined, 'p.example.com')).toBeUndefined();
  });

  it('keeps the last auditLogSize entries and truncates messages to 256 characters', () => {
    const cluster = newCluster();
    const p = policy('deny(request.object.metadata.name.repeat(1) + "-" + "m".repeat(300))', { auditLogSize: 3 });
    for (let i = 0; i < 5; i++) admit(p, request({ object: { ...podObject(), metadata: { name: `pod${i}`, namespace: 'team' } }, name: `pod${i}` }), { cluster, now });
    const list = violations(cluster);
    expect(list.map((v) => v.requestInfo?.name)).toEqual(['pod2', 'pod3', 'pod4']);
    expect(list[0]?.message).toHaveLength(256);
    expect(list[0]?.message?.endsWith('...')).toBe(true);
  });

  it.each([
    [undefined, 20],
    [0, 0],
    [39, 39],
    [40, 20],
  ])('auditLogSize %s keeps %i entries', (size, kept) => {
    const cluster = newCluster();
    const p = policy('deny("x")', size === undefined ? {} : { auditLogSize: size });
    for (let i = 0; i < 45; i++) admit(p, request(), { cluster, now });
    expect(violations(cluster)).toHaveLength(kept);
  });
});

describe('admit: script source', () => {
  it('runs the JsPolicyBundle (base64 gzip) of a policy without javascript', () => {
    const bundle = gzipSync(Buffer.from('deny("from bundle")')).toString('base64');
    const cluster = newCluster([{ apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicyBundle', metadata: { name: 'p.example.com' }, spec: { bundle } }]);
    const noJs = policy('');
    delete noJs.spec.javascript;
    expect(admit(noJs, request(), { cluster })).toMatchObject({ allowed: false, message: 'from bundle' });
  });

  it('without javascript or bundle: the bundle error, as a 500', () => {
    const noJs = policy('');
    delete noJs.spec.javascript;
    expect(admit(noJs, request(), { cluster: newCluster() })).toMatchObject({
      allowed: false,
      code: 500,
      error: "couldn't find javascript bundle for js policy p.example.com",
    });
  });

  it('options.bundle overrides the source', () => {
    const bundle = gzipSync(Buffer.from('deny("override")')).toString('base64');
    expect(admit(policy('allow()'), request(), { bundle })).toMatchObject({ allowed: false, message: 'override' });
  });

  it('a policy with dependencies is refused with a clear message (no npm/webpack locally)', () => {
    const outcome = admit(policy('import _ from "lodash"; allow()', { dependencies: { lodash: '^4.17.21' } }), request());
    expect(outcome.allowed).toBe(false);
    expect(outcome.error).toMatch(/has spec\.dependencies \(lodash\).*JsPolicyBundle/);
  });
});
