import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { JsPolicy, JsPolicySpec, KubeObject } from '../../lib/k8s/types.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import type { WatchEvent } from '../../tools/runtime/contracts.ts';
import { installJsPolicy } from '../../tools/runtime/jspolicy/install.ts';
import { bundleHash } from '../../tools/runtime/jspolicy/compile-check.ts';

const API = 'policy.jspolicy.com/v1beta1';
const NOW = Date.parse('2024-05-01T12:00:00Z');

const policy = (name: string, javascript: string, spec: JsPolicySpec = {}): JsPolicy => ({
  apiVersion: API,
  kind: 'JsPolicy',
  metadata: { name },
  spec: { operations: ['CREATE'], resources: ['pods'], javascript, ...spec },
});

const pod = (name = 'web', labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'team', labels },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
});

function setup(options: Parameters<typeof installJsPolicy>[1] = {}, objects: KubeObject[] = []) {
  const cluster = new InMemoryCluster({ now: () => NOW, objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, ...objects] });
  const installation = installJsPolicy(cluster, { now: () => NOW, ...options });
  const getPolicy = (name: string) => cluster.get(API, 'JsPolicy', undefined, name) as JsPolicy | undefined;
  return { cluster, installation, getPolicy };
}

describe('installJsPolicy (a): the jspolicy.jspolicy.com validation webhook', () => {
  it('denies invalid JsPolicy writes with the webhook message', () => {
    const { cluster } = setup();
    const result = cluster.create(policy('two.segments', 'allow()', { violationPolicy: 'deny' as never }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(403);
      expect(result.reason).toBe('Forbidden');
      expect(result.message).toMatch(/^admission webhook "jspolicy\.jspolicy\.com" denied the request: \[metadata\.name: .*spec\.violationPolicy/);
    }
  });

  it('type is immutable on UPDATE', () => {
    const { cluster, getPolicy } = setup();
    expect(cluster.create(policy('a.example.com', 'allow()')).ok).toBe(true);
    const stored = getPolicy('a.example.com') as JsPolicy;
    const result = cluster.update({ ...stored, spec: { ...stored.spec, type: 'Mutating' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/type is immutable/);
  });

  it('can be switched off', () => {
    const { cluster } = setup({ validation: false });
    expect(cluster.create(policy('two.segments', 'allow()')).ok).toBe(true);
  });
});

describe('installJsPolicy (b): stored policies as webhooks', () => {
  it('a Validating policy denies matching writes with the API server message', () => {
    const { cluster } = setup();
    expect(cluster.create(policy('deny-web.example.com', 'if (request.object.metadata.name === "web") deny("no web pods")')).ok).toBe(true);
    const denied = cluster.create(pod('web'));
    expect(denied).toMatchObject({ ok: false, code: 403, reason: 'Forbidden', message: 'admission webhook "deny-web.example.com" denied the request: no web pods' });
    expect(cluster.create(pod('api')).ok).toBe(true);
  });

  it('an error is a rejection with code 500 (even with failurePolicy Ignore)', () => {
    const { cluster } = setup();
    cluster.create(policy('broken.example.com', 'request.object.nope.x', { failurePolicy: 'Ignore' }));
    const result = cluster.create(pod());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(500);
      expect(result.message).toMatch(/^admission webhook "broken\.example\.com" denied the request: Uncaught TypeError/);
    }
  });

  it('mutating policies chain in name order, then validating policies see the result', () => {
    const { cluster } = setup();
    cluster.create(policy('a-label.example.com', 'request.object.metadata.labels = {...request.object.metadata.labels, a: "1"}; mutate(request.object)', { type: 'Mutating' }));
    cluster.create(policy('b-label.example.com', 'request.object.metadata.labels = {...request.object.metadata.labels, b: request.object.metadata.labels.a + "2"}; mutate(request.object)', { type: 'Mutating' }));
    cluster.create(policy('check.example.com', 'if (request.object.metadata.labels.b !== "12") deny("not mutated: " + JSON.stringify(request.object.metadata.labels))'));
    const created = cluster.create(pod());
    expect(created.ok).toBe(true);
    if (created.ok) expect(created.object.metadata.labels).toMatchObject({ a: '1', b: '12' });
  });

  it('violationPolicy Warn lets the write through', () => {
    const { cluster } = setup();
    cluster.create(policy('warn.example.com', 'deny("careful")', { violationPolicy: 'Warn' }));
    expect(cluster.create(pod()).ok).toBe(true);
    const violations = cluster.get(API, 'JsPolicyViolations', undefined, 'warn.example.com')?.status as { violations: Array<{ action: string }> };
    expect(violations.violations.map((v) => v.action)).toEqual(['Warn']);
  });

  it("a policy's own writes go through the other policies", () => {
    const { cluster } = setup();
    cluster.create(
      policy('creator.example.com', 'const r = create({apiVersion: "v1", kind: "ConfigMap", metadata: {name: request.object.metadata.name, namespace: "team"}}); if (!r.ok) deny(r.message)'),
    );
    cluster.create(policy('no-cm.example.com', 'deny("no configmaps")', { resources: ['configmaps'] }));
    const result = cluster.create(pod());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toBe(
        'admission webhook "creator.example.com" denied the request: admission webhook "no-cm.example.com" denied the request: no configmaps',
      );
    }
  });

  it('can be switched off', () => {
    const { cluster } = setup({ webhooks: false });
    cluster.create(policy('deny.example.com', 'deny("x")'));
    expect(cluster.create(pod()).ok).toBe(true);
  });
});

describe('installJsPolicy (c): reconcile of JsPolicy objects', () => {
  it('a good Validating policy gets Synced, BundleCompiled, Ready, WebhookReady, observedGeneration and bundleHash', () => {
    const { cluster, getPolicy } = setup();
    const p = policy('ok.example.com', 'allow()');
    cluster.create(p);
    const status = getPolicy('ok.example.com')?.status;
    expect(status).toMatchObject({ phase: 'Synced', observedGeneration: 1, bundleHash: bundleHash(p) });
    expect(status?.bundleHash).toMatch(/^[0-9a-f]{64}$/);
    expect(status?.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['Ready', 'True'],
      ['BundleCompiled', 'True'],
      ['WebhookReady', 'True'],
    ]);
    expect(status?.conditions?.[0]?.lastTransitionTime).toBe('2024-05-01T12:00:00Z');
    const bundle = cluster.get(API, 'JsPolicyBundle', undefined, 'ok.example.com');
    expect(bundle?.metadata.ownerReferences?.[0]?.name).toBe('ok.example.com');
  });

  it('a syntax error → Failed/CompileFailed, and its webhook is no longer applied', () => {
    const { cluster, getPolicy } = setup();
    cluster.create(policy('bad.example.com', 'deny("x"'));
    const status = getPolicy('bad.example.com')?.status;
    expect(status).toMatchObject({ phase: 'Failed', reason: 'CompileFailed' });
    // jsPolicy stores webpack-cli's output: error bundling javascript: <output> exit status 1.
    expect(status?.message).toMatch(/^error bundling javascript: [\s\S]*Module parse failed: Unexpected token \(1:8\)[\s\S]* exit status 1$/);
    expect(status?.conditions?.find((c) => c.type === 'BundleCompiled')).toMatchObject({ status: 'False', reason: 'CompileFailed', severity: 'Error' });
    expect(status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'CompileFailed' });
    expect(cluster.create(pod()).ok).toBe(true);
  });

  it('fixing the javascript re-reconciles (new generation) and re-activates the webhook', () => {
    const { cluster, getPolicy } = setup();
    cluster.create(policy('fix.example.com', 'deny("x"'));
    const stored = getPolicy('fix.example.com') as JsPolicy;
    expect(cluster.update({ ...stored, spec: { ...stored.spec, javascript: 'deny("fixed")' } }).ok).toBe(true);
    expect(getPolicy('fix.example.com')?.status).toMatchObject({ phase: 'Synced', observedGeneration: 2 });
    expect(cluster.create(pod())).toMatchObject({ ok: false, message: 'admission webhook "fix.example.com" denied the request: fixed' });
  });

  it('writes status once per generation (no loop on its own status events)', () => {
    const { cluster } = setup();
    const events: WatchEvent[] = [];
    cluster.watch((e) => {
      if (e.object.kind === 'JsPolicy') events.push(e);
    });
    cluster.create(policy('once.example.com', 'allow()'));
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
  });

  it('ES-module javascript: imports must be listed in dependencies (webpack Module not found)', () => {
    const { cluster, getPolicy } = setup();
    cluster.create(policy('imp.example.com', 'import _ from "lodash"; allow()'));
    expect(getPolicy('imp.example.com')?.status).toMatchObject({ phase: 'Failed', reason: 'CompileFailed' });
    expect(getPolicy('imp.example.com')?.status?.message).toMatch(/Can't resolve 'lodash'/);
    cluster.create(policy('dep.example.com', 'import _ from "lodash"; allow()', { dependencies: { lodash: '^4' } }));
    expect(getPolicy('dep.example.com')?.status?.phase).toBe('Synced');
  });

  it('a precompiled policy is BundleMissing until its JsPolicyBundle appears', () => {
    const { cluster, getPolicy } = setup();
    const p = policy('pre.example.com', '');
    delete p.spec.javascript;
    cluster.create(p);
    expect(getPolicy('pre.example.com')?.status).toMatchObject({ phase: 'Failed', reason: 'BundleMissing', bundleHash: '' });
    expect(cluster.create(pod('a')).ok).toBe(true);
    cluster.create({ apiVersion: API, kind: 'JsPolicyBundle', metadata: { name: 'pre.example.com' }, spec: { bundle: gzipSync('deny("pre")').toString('base64') } });
    expect(getPolicy('pre.example.com')?.status?.phase).toBe('Synced');
    expect(cluster.create(pod('b'))).toMatchObject({ ok: false, message: 'admission webhook "pre.example.com" denied the request: pre' });
  });

  it('Controller policies get ControllerReady, or InitControllerPolicy for unknown resources', () => {
    const { cluster, getPolicy } = setup();
    cluster.create(policy('ctl.example.com', 'allow()', { type: 'Controller', resources: ['configmaps'] }));
    expect(getPolicy('ctl.example.com')?.status?.conditions?.map((c) => c.type)).toEqual(['Ready', 'BundleCompiled', 'ControllerReady']);
    cluster.create(policy('ctl-bad.example.com', 'allow()', { type: 'Controller', resources: ['widgets'] }));
    expect(getPolicy('ctl-bad.example.com')?.status).toMatchObject({ phase: 'Failed', reason: 'InitControllerPolicy' });
    expect(getPolicy('ctl-bad.example.com')?.status?.message).toMatch(/^error starting controller policy: get kinds for resource widgets/);
  });

  it('reconciles policies that were already stored at install time; can be switched off', () => {
    const stored = policy('pre-existing.example.com', 'allow()');
    const on = setup({}, [stored]);
    expect(on.getPolicy('pre-existing.example.com')?.status?.phase).toBe('Synced');
    const off = setup({ reconcile: false }, [stored]);
    expect(off.getPolicy('pre-existing.example.com')?.status).toBeUndefined();
  });

  it('uninstall removes the hooks', () => {
    const { cluster, installation } = setup();
    cluster.create(policy('deny.example.com', 'deny("x")'));
    installation.uninstall();
    expect(cluster.create(pod()).ok).toBe(true);
  });
});
