// jsPolicy starts a controller policy once per hash of (bundle, resources, apiGroups, apiVersions) and
// never retries a failed start with the same hash (pkg/controllers/jspolicy.go syncControllerPolicy): the
// install-order trap the one-apply install has to get out of. The runtime must keep that rule.
import { describe, expect, it } from 'vitest';
import type { JsPolicy, JsPolicySpec } from '../../lib/k8s/types.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import { VirtualClock } from '../../tools/runtime/controller/loop.ts';
import { controllerPolicyHash, decideControllerSync } from '../../tools/runtime/jspolicy/controller-sync.ts';
import { installJsPolicy } from '../../tools/runtime/jspolicy/install.ts';
import { FIXED_NOW, widget, widgetCrd } from './apiserver-fixtures.ts';

const API = 'policy.jspolicy.com/v1beta1';
const NAME = 'widgets.example.com';

const controller = (spec: JsPolicySpec = {}): JsPolicy => ({
  apiVersion: API,
  kind: 'JsPolicy',
  metadata: { name: NAME },
  spec: { type: 'Controller', operations: ['*'], resources: ['widgets'], apiVersions: ['v1'], javascript: 'print("saw", request.name)', ...spec },
});

function setup() {
  const cluster = new InMemoryCluster({ now: () => FIXED_NOW, objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }] });
  const logs: string[] = [];
  const installation = installJsPolicy(cluster, { controllers: { clock: new VirtualClock(FIXED_NOW) }, log: (line) => logs.push(line) });
  const stored = (): JsPolicy => cluster.get(API, 'JsPolicy', undefined, NAME) as JsPolicy;
  const ready = () => stored().status?.conditions?.find((c) => c.type === 'ControllerReady');
  const update = (spec: JsPolicySpec) => cluster.update({ ...stored(), spec: { ...stored().spec, ...spec } });
  const settle = () => {
    for (const loop of installation.controllerLoops()) loop.runUntilSettled();
    return logs.filter((l) => l.startsWith(`[${NAME}] saw`));
  };
  return { cluster, installation, ready, update, settle, stored };
}

describe('jsPolicy starts a controller policy once per hash', () => {
  it('a start before the CRD fails and stays failed until the hash changes, whatever else changes', () => {
    const { cluster, installation, ready, update, settle } = setup();
    expect(cluster.create(controller()).ok).toBe(true);
    expect(ready()).toMatchObject({ status: 'False', reason: 'InitControllerPolicy' });
    expect(ready()?.message).toMatch(/^error starting controller policy: get kinds for resource widgets/);
    expect(installation.controllerLoops()).toEqual([]);

    expect(cluster.create(widgetCrd()).ok).toBe(true);
    expect(cluster.create(widget('a')).ok).toBe(true);
    // A new generation that leaves the hash alone (timeoutSeconds, labels) is reconciled, and stays failed.
    expect(update({ timeoutSeconds: 5 }).ok).toBe(true);
    expect(ready()).toMatchObject({ status: 'False', reason: 'InitControllerPolicy' });
    expect(settle()).toEqual([]);

    // The same meaning with another hash: a repeated version (gvksFromPolicy reads a set) starts it.
    expect(update({ apiVersions: ['v1', 'v1'] }).ok).toBe(true);
    expect(ready()).toMatchObject({ status: 'True' });
    expect(settle()).toEqual([`[${NAME}] saw a`]);
  });

  it('deleting the JsPolicy forgets its hash: the same policy created again starts', () => {
    const { cluster, ready, settle } = setup();
    cluster.create(controller());
    expect(ready()?.status).toBe('False');
    cluster.create(widgetCrd());
    cluster.create(widget('a'));
    expect(cluster.remove(API, 'JsPolicy', undefined, NAME).ok).toBe(true);
    expect(cluster.create(controller()).ok).toBe(true);
    expect(ready()?.status).toBe('True');
    expect(settle()).toEqual([`[${NAME}] saw a`]);
  });

  it('a running controller restarts with RequeueAll when the hash changes, not when anything else does', () => {
    const { cluster, update, settle } = setup();
    cluster.create(widgetCrd());
    cluster.create(widget('a'));
    cluster.create(controller());
    expect(settle()).toEqual([`[${NAME}] saw a`]);
    update({ timeoutSeconds: 5 });
    expect(settle()).toHaveLength(1);
    update({ javascript: 'print("saw", request.name, 2)' });
    expect(settle()).toHaveLength(2);
  });

  it('the hash: an empty list is an absent one (omitempty); "*" and repeated entries are not', () => {
    const hash = (spec: JsPolicySpec) => controllerPolicyHash(controller(spec), undefined);
    expect(hash({ apiGroups: [] })).toBe(hash({ apiGroups: undefined }));
    expect(hash({ apiVersions: ['*'] })).not.toBe(hash({ apiVersions: undefined }));
    expect(hash({ apiVersions: ['v1', 'v1'] })).not.toBe(hash({}));
    expect(hash({ timeoutSeconds: 3, objectSelector: { matchLabels: { a: 'b' } } })).toBe(hash({}));
    expect(controllerPolicyHash(controller({ javascript: '' }), 'b1')).not.toBe(controllerPolicyHash(controller({ javascript: '' }), 'b2'));
  });

  it('same hash and no ControllerReady yet (a delete and re-create jsPolicy saw as one update) is marked True without a start', () => {
    expect(decideControllerSync(undefined, 'h', undefined)).toBe('start');
    expect(decideControllerSync('g', 'h', 'False')).toBe('start');
    expect(decideControllerSync('h', 'h', 'False')).toBe('keep-false');
    expect(decideControllerSync('h', 'h', undefined)).toBe('mark-true');
    expect(decideControllerSync('h', 'h', 'True')).toBe('mark-true');
  });
});
