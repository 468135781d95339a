// The mutation bounds: which fields a description makes mutable, what no generated policy may set,
// and the guard's ES5 copy of the check agreeing with the TypeScript one on V8 9.6.
import { describe, expect, it } from 'vitest';
import { mutableFieldsFromIntent, mutationCheckSource, mutationViolations } from '../../lib/policy/mutation-bounds.ts';
import { runPolicyScript } from '../../tools/runtime/vm/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- cases edit arbitrary fields
const pod = (): any => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'team', labels: { app: 'web' }, annotations: { a: '1' } },
  spec: { containers: [{ name: 'app', image: 'nginx', imagePullPolicy: 'IfNotPresent' }], volumes: [{ name: 'v', configMap: { name: 'c' } }] },
});
const deployment = (): any => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1, template: { metadata: { labels: { app: 'd' } }, spec: pod().spec } } });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;
const changed = <T,>(o: T, edit: (o: any) => void): T => {
  const copy = JSON.parse(JSON.stringify(o));
  edit(copy);
  return copy;
};

describe('mutableFieldsFromIntent', () => {
  it.each([
    ['Add the label team=payments to every pod in the shop namespace', ['metadata.labels']],
    ['Set imagePullPolicy Always on all containers', ['spec.containers[*].imagePullPolicy', 'spec.ephemeralContainers[*].imagePullPolicy', 'spec.initContainers[*].imagePullPolicy']],
    ['Add an annotation owner=platform to deployments', ['metadata.annotations']],
    ['Default the memory limit of containers to 512Mi', ['spec.containers[*].resources.limits', 'spec.ephemeralContainers[*].resources.limits', 'spec.initContainers[*].resources.limits']],
    ['Deny pods that run as root', []],
    ['Make pods in dev use the busybox image', []],
  ])('%s', (description, fields) => {
    expect(mutableFieldsFromIntent(description)).toEqual(fields);
  });
});

const LABELS = ['metadata.labels'];
const PULL = mutableFieldsFromIntent('set imagePullPolicy');
const SECURITY = mutableFieldsFromIntent('set the security context');

// [name, before, after, allowed paths, expected violations]
const CASES: Array<[string, unknown, unknown, string[], string[]]> = [
  ['a label added', pod(), changed(pod(), (o: Obj) => (o.metadata.labels.team = 'a')), LABELS, []],
  ['labels where there were none', changed(pod(), (o: Obj) => delete (o.metadata as any).labels), pod(), LABELS, []],
  ['a label on the pod template of a Deployment', deployment(), changed(deployment(), (o) => (o.spec.template.metadata.labels.team = 'a')), LABELS, []],
  ['no change', pod(), pod(), [], []],
  ['a label, but the intent names none', pod(), changed(pod(), (o: Obj) => (o.metadata.labels.team = 'a')), [], ['metadata.labels.team (not named by the intent)']],
  ['an annotation, when only labels are named', pod(), changed(pod(), (o: Obj) => (o.metadata.annotations.b = '2')), LABELS, ['metadata.annotations.b (not named by the intent)']],
  ['imagePullPolicy', pod(), changed(pod(), (o: Obj) => (o.spec.containers[0]!.imagePullPolicy = 'Always')), PULL, []],
  ['imagePullPolicy in a Deployment', deployment(), changed(deployment(), (o) => (o.spec.template.spec.containers[0].imagePullPolicy = 'Always')), PULL, []],
  ['the image', pod(), changed(pod(), (o: Obj) => (o.spec.containers[0]!.image = 'evil')), PULL, ['spec.containers[0].image (image)']],
  ['a container added', pod(), changed(pod(), (o: Obj) => o.spec.containers.push({ imagePullPolicy: 'Always' } as any)), PULL, ['spec.containers[1].imagePullPolicy (a container added or removed)']],
  ['a container removed', changed(pod(), (o: Obj) => o.spec.containers.push({ name: 'b', image: 'x' } as any)), pod(), PULL, ['spec.containers[1].name (a container added or removed)', 'spec.containers[1].image (a container added or removed)']],
  ['an empty init container added', pod(), changed(pod(), (o: Obj) => ((o.spec as any).initContainers = [{}])), PULL, ['spec.initContainers[0] (a container added or removed)']],
  ['a hostPath volume', pod(), changed(pod(), (o: Obj) => o.spec.volumes.push({ name: 'h', hostPath: { path: '/' } } as any)), [], ['spec.volumes[1].name (not named by the intent)', 'spec.volumes[1].hostPath.path (hostPath volume)']],
  ['a volume replaced by a Secret', pod(), changed(pod(), (o: Obj) => (o.spec.volumes[0] = { name: 'v', secret: { secretName: 's' } } as any)), [], ['spec.volumes[0].configMap.name (not named by the intent)', 'spec.volumes[0].secret.secretName (secret volume)']],
  ['privileged: true through a named security context', pod(), changed(pod(), (o: Obj) => ((o.spec.containers[0] as any).securityContext = { privileged: true, runAsNonRoot: true })), SECURITY, ['spec.containers[0].securityContext.privileged (privileged: true)']],
  ['privileged: false is fine', pod(), changed(pod(), (o: Obj) => ((o.spec.containers[0] as any).securityContext = { privileged: false })), SECURITY, []],
  ['runAsUser 0 at pod level', pod(), changed(pod(), (o: Obj) => ((o.spec as any).securityContext = { runAsUser: 0 })), SECURITY, ['spec.securityContext.runAsUser (runAsUser: 0)']],
  ['seccomp Unconfined', pod(), changed(pod(), (o: Obj) => ((o.spec as any).securityContext = { seccompProfile: { type: 'Unconfined' } })), SECURITY, ['spec.securityContext.seccompProfile.type (seccomp Unconfined)']],
  ['an AppArmor annotation', pod(), changed(pod(), (o: Obj) => (o.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'unconfined')), ['metadata.annotations'], ['metadata.annotations.container.apparmor.security.beta.kubernetes.io/app (AppArmor unconfined)']],
  ['hostNetwork', pod(), changed(pod(), (o: Obj) => ((o.spec as any).hostNetwork = true)), [], ['spec.hostNetwork (hostNetwork: true)']],
  ['a toleration of everything', pod(), changed(pod(), (o: Obj) => ((o.spec as any).tolerations = [{ operator: 'Exists' }])), ['spec.tolerations'], ['spec.tolerations[0].operator (toleration of control-plane nodes)']],
  ['a toleration of gpu nodes', pod(), changed(pod(), (o: Obj) => ((o.spec as any).tolerations = [{ key: 'gpu', operator: 'Exists' }])), ['spec.tolerations'], []],
  ['serviceAccountName', pod(), changed(pod(), (o: Obj) => ((o.spec as any).serviceAccountName = 'admin')), [], ['spec.serviceAccountName (serviceAccountName)']],
  ['the object replaced by a string', pod(), 'x', LABELS, ['(root) (not named by the intent)']],
  ['on DELETE (no object)', null, pod(), LABELS, ['(root) (not named by the intent)']],
  ['a key named like an Object.prototype member', pod(), changed(pod(), (o: Obj) => ((o.metadata.labels as any).constructor = 'x')), LABELS, []],
];

describe('mutationViolations', () => {
  it.each(CASES)('%s', (_name, before, after, allowed, expected) => {
    expect(mutationViolations(before, after, allowed)).toEqual(expected);
  });
});

describe("the guard's ES5 check (mutationCheckSource) on V8 9.6", () => {
  it('answers the first violation mutationViolations reports, or "", for every case', () => {
    const calls = CASES.map(([, before, after, allowed]) => `${mutationCheckSource(allowed)}(${JSON.stringify(before)}, ${JSON.stringify(after)})`);
    const outcome = runPolicyScript({ policyName: 'bounds.test.com', javascript: `deny(JSON.stringify([${calls.join(',\n')}]))`, request: {}, timeoutSeconds: 5 });
    expect(outcome).toMatchObject({ kind: 'completed' });
    const answers = JSON.parse((outcome as { response: { message: string } }).response.message) as string[];
    expect(answers).toEqual(CASES.map(([, , , , expected]) => expected[0] ?? ''));
  });
});
