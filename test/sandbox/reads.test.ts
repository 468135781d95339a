// get()/list() over the test case's objects, with jsPolicy's semantics (pkg/vm/vm.go).
import { beforeAll, expect, it } from 'vitest';
import { admission, pod, SandboxHost } from './harness.ts';
import { JSPOLICY_V8 } from '../fixtures/engine.ts';

let host: SandboxHost;

beforeAll(() => {
  host = new SandboxHost();
});

it("runs in a context of V8 9.6, jsPolicy's engine", () => {
  expect(host.v8).toEqual(JSPOLICY_V8);
});

const objects = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { env: 'prod', team: 'a' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', labels: { env: 'dev', team: 'a' } } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'prod' }, data: { z: '1', a: '2' } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod', labels: { app: 'web' } }, spec: { replicas: 2 } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'prod' }, data: { k: 'dg==' } },
];

function run(javascript: string) {
  return host.run({ javascript, request: admission(pod()), policyType: 'Validating', objects: objects as never });
}

it('get answers the object, keys sorted like Go, or undefined', () => {
  expect(run(`deny(JSON.stringify(get('ConfigMap', 'v1', 'prod/cfg').data))`).message).toBe('{"a":"2","z":"1"}');
  expect(run(`deny(get('Namespace', 'v1', 'prod').metadata.labels.env)`).message).toBe('prod');
  expect(run(`deny(String(get('ConfigMap', 'v1', 'cfg')))`).message).toBe('undefined');
  expect(run(`deny(String(get('ConfigMap', 'v1', 'prod/nope')))`).message).toBe('undefined');
  expect(run(`deny(String(get('Deployment', 'apps/v1', 'prod/web', { cache: 'smart' }).spec.replicas))`).message).toBe('2');
});

it('list answers an array, or undefined when nothing matches', () => {
  expect(run(`deny(list('Namespace', 'v1').map((n) => n.metadata.name).join())`).message).toBe('dev,prod');
  expect(run(`deny(list('NamespaceList', 'v1', { labelSelector: 'env=prod' }).map((n) => n.metadata.name).join())`).message).toBe('prod');
  expect(run(`deny(list('Namespace', 'v1', { labelSelector: 'team==a,env=dev' }).map((n) => n.metadata.name).join())`).message).toBe('dev');
  // Only equality terms count: the others are ignored (match everything), as in jsPolicy.
  expect(run(`deny(list('Namespace', 'v1', { labelSelector: 'env!=prod,team in (b),!x' }).length + '')`).message).toBe('2');
  expect(run(`deny(String(list('Namespace', 'v1', { labelSelector: 'env=test' })))`).message).toBe('undefined');
  expect(run(`deny(String(list('Pod', 'v1')))`).message).toBe('undefined');
  expect(run(`deny(list('ConfigMap', 'v1', { namespace: 'prod' }).length + ' ' + String(list('ConfigMap', 'v1', { namespace: 'dev' })))`).message).toBe('1 undefined');
});

it('results are fresh copies the candidate may change', () => {
  expect(run(`const n = get('Namespace', 'v1', 'prod'); n.metadata.labels.env = 'x'; deny(get('Namespace', 'v1', 'prod').metadata.labels.env)`).message).toBe('prod');
});

it('bad arguments throw jsPolicy-like objects', () => {
  expect(run(`get('Pod', 'v1')`).message).toBe('WrongArguments: three arguments expected. Example get("Pod", "v1", "test")');
  expect(run(`get('Pod', 'v1', 1)`).message).toBe('WrongArguments: kind, group version and name need to be string values');
  expect(run(`list('Pod', 'v1', { labelSelector: 'a=(' })`).message).toMatch(/^ParseLabelSelector: /);
  expect(run(`try { get('Pod') } catch (e) { deny(e.reason + ' ' + (e instanceof Error)) }`).message).toBe('WrongArguments false');
});

it('Secrets are never read, and are not in the objects a list can see', () => {
  expect(run(`get('Secret', 'v1', 'prod/s')`).message).toMatch(/^Forbidden: /);
  expect(run(`deny(JSON.stringify(list('ConfigMap', 'v1')))`).message).not.toContain('dg==');
});
