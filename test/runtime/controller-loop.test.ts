import { describe, expect, it } from 'vitest';
import type { JsPolicy, JsPolicySpec, KubeObject } from '../../lib/k8s/types.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import { ControllerLoop } from '../../tools/runtime/controller/loop.ts';
import { installJsPolicy } from '../../tools/runtime/jspolicy/install.ts';

const API = 'policy.jspolicy.com/v1beta1';
const EPOCH = Date.parse('2024-01-01T00:00:00Z');

const controller = (javascript: string, spec: JsPolicySpec = {}): JsPolicy => ({
  apiVersion: API,
  kind: 'JsPolicy',
  metadata: { name: 'ctl.example.com' },
  spec: { type: 'Controller', operations: ['*'], resources: ['configmaps'], javascript, ...spec },
});

const configMap = (name: string, extra: Partial<KubeObject['metadata']> = {}, namespace = 'team'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, ...extra },
  data: { k: 'v' },
});

function setup(javascript: string, spec: JsPolicySpec = {}, objects: KubeObject[] = []) {
  const cluster = new InMemoryCluster({
    now: () => EPOCH,
    objects: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { env: 'prod' } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', labels: { env: 'dev' } } },
      ...objects,
    ],
  });
  const logs: string[] = [];
  const loop = new ControllerLoop({ cluster, policy: controller(javascript, spec), epochMs: EPOCH, log: (line) => logs.push(line) });
  return { cluster, loop, logs };
}

describe('ControllerLoop: start and RequeueAll', () => {
  it('enqueues every existing object of the watched kinds and runs each once', () => {
    const { loop, logs } = setup('print(request.operation, request.namespace + "/" + request.name)', {}, [configMap('a'), configMap('b'), configMap('c', {}, 'dev')]);
    const started = loop.start();
    expect(started.ok && started.watched.map((k) => k.kind)).toEqual(['ConfigMap']);
    expect(loop.pending().queued).toEqual(['v1||ConfigMap|dev|c', 'v1||ConfigMap|team|a', 'v1||ConfigMap|team|b'].sort());
    const stats = loop.runUntilSettled();
    expect(stats).toMatchObject({ runs: 3, requeues: 0, errors: [], denials: [], settled: true });
    expect(logs.sort()).toEqual(['[ctl.example.com] CREATE dev/c', '[ctl.example.com] CREATE team/a', '[ctl.example.com] CREATE team/b']);
  });

  it('a start failure is InitControllerPolicy and nothing is watched', () => {
    const { loop } = setup('allow()', { resources: ['widgets'] });
    expect(loop.start()).toEqual({
      ok: false,
      reason: 'InitControllerPolicy',
      message: 'error starting controller policy: get kinds for resource widgets: no matches for /, Resource=widgets',
    });
    expect(loop.watchedKinds()).toEqual([]);
  });

  it('runUntilSettled starts the loop itself', () => {
    const { loop } = setup('allow()', {}, [configMap('a')]);
    expect(loop.runUntilSettled().runs).toBe(1);
  });
});

describe('ControllerLoop: events and the queue', () => {
  it('de-duplicates keys: several changes before a run → one run that sees the latest object', () => {
    const { cluster, loop, logs } = setup('print(request.object.data.k)');
    loop.start();
    cluster.create(configMap('a'));
    for (const value of ['1', '2', '3']) {
      const current = cluster.get('v1', 'ConfigMap', 'team', 'a') as KubeObject;
      cluster.update({ ...current, data: { k: value } });
    }
    expect(loop.pending().queued).toEqual(['v1||ConfigMap|team|a']);
    expect(loop.runUntilSettled().runs).toBe(1);
    expect(logs).toEqual(['[ctl.example.com] 3']);
  });

  it('the exact request of a controller run (section 5.3)', () => {
    const { cluster, loop, logs } = setup('print(JSON.stringify(request))');
    loop.start();
    cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'team', labels: { z: '1', a: '2' } }, data: { k: 'v' } });
    loop.runUntilSettled();
    const request = JSON.parse((logs[0] ?? '').replace('[ctl.example.com] ', ''));
    expect(Object.keys(request)).toEqual(['uid', 'kind', 'resource', 'name', 'namespace', 'operation', 'userInfo', 'object', 'oldObject', 'options']);
    expect(request).toMatchObject({
      uid: '',
      kind: { group: '', version: 'v1', kind: 'ConfigMap' },
      resource: { group: '', version: '', resource: '' },
      name: 'a',
      namespace: 'team',
      operation: 'CREATE',
      userInfo: {},
      oldObject: null,
      options: null,
    });
    expect(Object.keys(request.object)).toEqual(['apiVersion', 'data', 'kind', 'metadata']);
    expect(Object.keys(request.object.metadata.labels)).toEqual(['a', 'z']);
  });

  it('cluster-scoped objects have no namespace in the request', () => {
    const { cluster, loop, logs } = setup('print(String(request.namespace), request.name)', { resources: ['namespaces'] });
    loop.start();
    loop.runUntilSettled();
    cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'new' } });
    loop.runUntilSettled();
    expect(logs.sort()).toEqual(['[ctl.example.com] undefined dev', '[ctl.example.com] undefined new', '[ctl.example.com] undefined team']);
  });

  it('DELETE with the object while terminating (finalizer), then with object null once gone', () => {
    const { cluster, loop, logs } = setup('print(request.operation, request.object === null ? "null" : "object:" + request.object.metadata.name)');
    loop.start();
    cluster.create(configMap('a', { finalizers: ['example.com/keep'] }));
    loop.runUntilSettled();
    cluster.remove('v1', 'ConfigMap', 'team', 'a');
    loop.runUntilSettled();
    const terminating = cluster.get('v1', 'ConfigMap', 'team', 'a') as KubeObject;
    cluster.update({ ...terminating, metadata: { ...terminating.metadata, finalizers: [] } });
    loop.runUntilSettled();
    expect(logs).toEqual(['[ctl.example.com] CREATE object:a', '[ctl.example.com] DELETE object:a', '[ctl.example.com] DELETE null']);
  });

  it('operations not in spec.operations are skipped silently', () => {
    const { cluster, loop, logs } = setup('print(request.operation)', { operations: ['DELETE'] });
    loop.start();
    cluster.create(configMap('a'));
    expect(loop.runUntilSettled().runs).toBe(0);
    cluster.remove('v1', 'ConfigMap', 'team', 'a');
    expect(loop.runUntilSettled().runs).toBe(1);
    expect(logs).toEqual(['[ctl.example.com] DELETE']);
  });

  it('objectSelector and namespaceSelector filter at enqueue time', () => {
    const { cluster, loop } = setup('allow()', { objectSelector: { matchLabels: { watch: 'yes' } }, namespaceSelector: { matchLabels: { env: 'prod' } } }, [
      configMap('labeled', { labels: { watch: 'yes' } }),
      configMap('plain'),
      configMap('other-ns', { labels: { watch: 'yes' } }, 'dev'),
    ]);
    loop.start();
    expect(loop.pending().queued).toEqual(['v1||ConfigMap|team|labeled']);
    loop.runUntilSettled();
    cluster.create(configMap('late', { labels: { watch: 'yes' } }, 'dev'));
    expect(loop.pending().queued).toEqual([]);
  });

  it("the policy's own writes re-trigger it until it converges", () => {
    const { loop, cluster } = setup(
      `const cm = get("ConfigMap", "v1", request.namespace + "/" + request.name);
       if (cm && !cm.metadata.annotations?.seen) {
         cm.metadata.annotations = {...cm.metadata.annotations, seen: "yes"};
         const r = update(cm);
         if (!r.ok) requeue(r.message);
       }`,
      {},
      [configMap('a')],
    );
    const stats = loop.runUntilSettled();
    expect(stats).toMatchObject({ runs: 2, settled: true });
    expect(cluster.get('v1', 'ConfigMap', 'team', 'a')?.metadata.annotations).toEqual({ seen: 'yes' });
  });

  it('a policy that never converges stops at maxRuns, unsettled', () => {
    const { loop } = setup(
      `const cm = get("ConfigMap", "v1", request.namespace + "/" + request.name, {cache: false});
       cm.data = {n: String(Number(cm.data.n ?? 0) + 1)}; update(cm);`,
      {},
      [configMap('a')],
    );
    const stats = loop.runUntilSettled({ maxRuns: 25 });
    expect(stats).toMatchObject({ runs: 25, settled: false });
  });
});

describe('ControllerLoop: requeue backoff on the virtual clock', () => {
  it('requeue() waits 5 ms·2^n of virtual time, and Date inside the run sees it', () => {
    const { loop, logs } = setup(`print(String(Date.now() - ${EPOCH})); if (Date.now() < ${EPOCH} + 30) requeue("not yet")`, {}, [configMap('a')]);
    const stats = loop.runUntilSettled();
    expect(stats).toMatchObject({ runs: 4, requeues: 3, settled: true });
    expect(logs.filter((l) => !l.includes('Reschedule'))).toEqual(['[ctl.example.com] 0', '[ctl.example.com] 5', '[ctl.example.com] 15', '[ctl.example.com] 35']);
    expect(logs).toContain('[ctl.example.com]: Reschedule a because of: not yet');
    expect(loop.clock()).toBe(EPOCH + 35);
  });

  it('a non-requeue run resets the backoff', () => {
    const { loop, cluster } = setup('if (request.object.data.k === "requeue") requeue()', {}, [{ ...configMap('a'), data: { k: 'requeue' } }]);
    loop.start();
    const key = 'v1||ConfigMap|team|a';
    const setK = (k: string) => cluster.update({ ...(cluster.get('v1', 'ConfigMap', 'team', 'a') as KubeObject), data: { k } });
    expect(loop.process(key)).toMatchObject({ result: 'requeue', delayMs: 5 });
    expect(loop.process(key)).toMatchObject({ result: 'requeue', delayMs: 10 });
    expect(loop.process(key)).toMatchObject({ result: 'requeue', delayMs: 20 });
    setK('ok');
    expect(loop.process(key)).toMatchObject({ result: 'allow' });
    setK('requeue');
    expect(loop.process(key)).toMatchObject({ result: 'requeue', delayMs: 5 });
  });

  it('maxVirtualMs bounds how far the clock may move', () => {
    const { loop } = setup('requeue("forever")', {}, [configMap('a')]);
    const stats = loop.runUntilSettled({ maxVirtualMs: 1000 });
    // 5+10+…+640 = 1275 > 1000: runs at 0, 5, 15, 35, 75, 155, 315, 635.
    expect(stats).toMatchObject({ runs: 8, requeues: 8, settled: false });
    expect(loop.clock()).toBe(EPOCH + 635);
    expect(loop.pending().waiting).toEqual([{ key: 'v1||ConfigMap|team|a', dueMs: EPOCH + 635 + 640 }]);
  });

  it('advance() releases due keys into the queue without running them', () => {
    const { loop } = setup('requeue()', {}, [configMap('a')]);
    loop.start();
    loop.process(loop.pending().queued[0] as string);
    expect(loop.pending()).toEqual({ queued: [], waiting: [{ key: 'v1||ConfigMap|team|a', dueMs: EPOCH + 5 }] });
    loop.advance(4);
    expect(loop.pending().queued).toEqual([]);
    loop.advance(1);
    expect(loop.pending().queued).toEqual(['v1||ConfigMap|team|a']);
  });
});

describe('ControllerLoop: deny and errors', () => {
  const violations = (cluster: InMemoryCluster) =>
    (cluster.get(API, 'JsPolicyViolations', undefined, 'ctl.example.com')?.status as { violations?: Array<Record<string, unknown>> } | undefined)?.violations ?? [];

  it('deny() records a violation with action Controller and is not retried', () => {
    const { loop, cluster } = setup('deny("bad configmap " + request.name)', {}, [configMap('a')]);
    const stats = loop.runUntilSettled();
    expect(stats).toMatchObject({ runs: 1, denials: ['ConfigMap team/a: bad configmap a'], settled: true });
    expect(violations(cluster)).toEqual([
      {
        action: 'Controller',
        code: 403,
        reason: 'Forbidden',
        message: 'bad configmap a',
        requestInfo: { name: 'a', namespace: 'team', kind: 'ConfigMap', apiVersion: 'v1', operation: 'CREATE' },
        timestamp: '2024-01-01T00:00:00Z',
      },
    ]);
  });

  it('auditPolicy Skip: no violation object', () => {
    const { loop, cluster } = setup('deny("x")', { auditPolicy: 'Skip' }, [configMap('a')]);
    loop.runUntilSettled();
    expect(cluster.get(API, 'JsPolicyViolations', undefined, 'ctl.example.com')).toBeUndefined();
  });

  it('errors and timeouts are logged, counted, recorded with code 500 and never retried', () => {
    const { loop, cluster, logs } = setup('if (request.name === "slow") { while (true) {} } throw new Error("broken " + request.name)', { timeoutSeconds: 1 }, [
      configMap('a'),
      configMap('slow'),
    ]);
    const stats = loop.runUntilSettled();
    expect(stats.runs).toBe(2);
    expect(stats.settled).toBe(true);
    expect(stats.errors).toHaveLength(2);
    expect(stats.errors[0]).toMatch(/^ConfigMap team\/a: Uncaught Error: broken a/);
    expect(stats.errors[1]).toBe('ConfigMap team/slow: script ctl.example.com timed out');
    expect(logs.filter((l) => l.startsWith('Error executing policy ctl.example.com'))).toHaveLength(2);
    expect(violations(cluster).map((v) => v.code)).toEqual([500, 500]);
  });

  it('warnings are logged', () => {
    const { loop, logs } = setup('warn("heads up")', {}, [configMap('a')]);
    loop.runUntilSettled();
    expect(logs).toEqual(['[ctl.example.com]: heads up']);
  });
});

describe('ControllerLoop: policy changes', () => {
  it('re-reads the stored policy and restarts with RequeueAll when its javascript changes', () => {
    const policy = controller('print("v1")');
    const cluster = new InMemoryCluster({ objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, configMap('a'), policy] });
    const logs: string[] = [];
    const loop = new ControllerLoop({ cluster, policy, epochMs: EPOCH, log: (l) => logs.push(l) });
    loop.runUntilSettled();
    const stored = cluster.get(API, 'JsPolicy', undefined, 'ctl.example.com') as JsPolicy;
    cluster.update({ ...stored, spec: { ...stored.spec, javascript: 'print("v2")' } });
    expect(loop.pending().queued).toEqual(['v1||ConfigMap|team|a']);
    loop.runUntilSettled();
    expect(logs).toEqual(['[ctl.example.com] v1', '[ctl.example.com] v2']);
  });
});

describe('ControllerLoop with jsPolicy installed', () => {
  it("the controller's writes pass through webhook policies; a denied write can requeue", () => {
    const cluster = new InMemoryCluster({ objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }] });
    installJsPolicy(cluster);
    expect(
      cluster.create({
        apiVersion: API,
        kind: 'JsPolicy',
        metadata: { name: 'no-copies.example.com' },
        spec: { operations: ['CREATE'], resources: ['configmaps'], javascript: `if (request.name.endsWith("-copy") && !request.object.metadata.labels?.ok) deny("copies need the ok label")` },
      }).ok,
    ).toBe(true);
    const logs: string[] = [];
    const loop = new ControllerLoop({
      cluster,
      policy: controller(
        `if (!request.name.endsWith("-copy") && request.operation === "CREATE") {
           const r = create({apiVersion: "v1", kind: "ConfigMap", metadata: {name: request.name + "-copy", namespace: request.namespace}});
           if (!r.ok && r.reason !== "AlreadyExists") requeue(r.message);
         }`,
        { operations: ['CREATE'] },
      ),
      epochMs: EPOCH,
      log: (l) => logs.push(l),
    });
    loop.start();
    cluster.create(configMap('a'));
    const stats = loop.runUntilSettled({ maxVirtualMs: 100 });
    expect(stats.requeues).toBeGreaterThan(0);
    expect(stats.settled).toBe(false);
    expect(logs[0]).toBe('[ctl.example.com]: Reschedule a because of: admission webhook "no-copies.example.com" denied the request: copies need the ok label');
    expect(cluster.get('v1', 'ConfigMap', 'team', 'a-copy')).toBeUndefined();
  });
});
