// The escape corpus against the emitted policy itself, as jsPolicy runs it (local runtime, real
// natives, an in-memory cluster holding the model's API key): whatever path the code takes, it
// writes nothing, calls nothing, reads no environment, file or Secret.
import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, JsPolicy } from '../../lib/k8s/types.ts';
import { clusterKindsNamedIn, readScopeOf, type ReadScope } from '../../lib/policy/confine.ts';
import { wrapWithGuard } from '../../lib/policy/guard.ts';
import { confineNamespaces } from '../../lib/policy/guardrails.ts';
import { OPEN_SCOPE } from '../fixtures/guard.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import { admit } from '../../tools/runtime/webhook/admit.ts';

const KEY = 'sk-the-model-key';
const SECRET = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gptpolicy-openai', namespace: 'jspolicy' }, data: { OPENAI_API_KEY: Buffer.from(KEY).toString('base64') } };
const CREATED = "({apiVersion:'v1',kind:'ConfigMap',metadata:{name:'pwned',namespace:'team'}})";

const request: AdmissionRequest = {
  uid: 'u',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  name: 'web',
  namespace: 'team',
  operation: 'CREATE',
  userInfo: { username: 'alice' },
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'team' } },
  oldObject: null,
  options: null,
};

const ESCAPES: Array<[string, string]> = [
  ['create by name', `create(${CREATED})`],
  ['update by name', `update(${CREATED})`],
  ['remove by name', `remove(${CREATED})`],
  ['the raw native', `__create(${CREATED})`],
  ['globalThis.create', `globalThis.create(${CREATED})`],
  ['this.__create', `this.__create(${CREATED})`],
  ['a computed name', `globalThis['__cre' + 'ate'](${CREATED})`],
  ['Function constructor', `Function('return this')().__create(${CREATED})`],
  ['constructor of a constructor', `[].constructor.constructor('return this')().__create(${CREATED})`],
  ['indirect eval', `(0, eval)('__create')(${CREATED})`],
  ['Reflect.get', `Reflect.get(globalThis, '__create')(${CREATED})`],
  ['env by name', `deny(env('OPENAI_API_KEY') || 'no env')`],
  ['env through the global', `deny(globalThis.env('OPENAI_API_KEY'))`],
  ['readFileSync', `deny(readFileSync('/var/run/secrets/kubernetes.io/serviceaccount/token'))`],
  ['fetchSync', `deny(fetchSync('http://127.0.0.1:1/').text())`],
  ['the raw fetch native', `deny(__fetchSync('http://127.0.0.1:1/', {}).__body)`],
  ['get a Secret', `deny(atob(get('Secret', 'v1', 'jspolicy/gptpolicy-openai').data.OPENAI_API_KEY))`],
  ['get a Secret by lower-case kind', `deny(JSON.stringify(get('secret', 'v1', 'jspolicy/gptpolicy-openai')))`],
  ['list Secrets', `deny(JSON.stringify(list('Secret', 'v1', {namespace: 'jspolicy'})))`],
  ['the raw get native', `deny(JSON.stringify(__get('Secret', 'v1', 'jspolicy/gptpolicy-openai')))`],
  ['a property enumeration of the global', `for (const k in globalThis) { if (/create|fetch/.test(k) && typeof globalThis[k] === 'function') globalThis[k](${CREATED}) }`],
  ['requeue', `requeue('x')`],
  ['sleep', `sleep(1000); deny('slept')`],
];

function run(code: string, reportErrors: boolean, wrap = true) {
  const cluster = new InMemoryCluster({ objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jspolicy' } }, SECRET] });
  const policy: JsPolicy = { apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicy', metadata: { name: 'p.gptpolicy.dev' }, spec: { type: 'Validating', operations: ['CREATE'], resources: ['pods'], javascript: wrap ? wrapWithGuard(code, { reportErrors, scope: OPEN_SCOPE }) : code } };
  const outcome = admit(policy, request, { cluster, access: { env: { OPENAI_API_KEY: KEY }, files: { '/var/run/secrets/kubernetes.io/serviceaccount/token': 'sa-token' } } });
  return { outcome, cluster };
}

describe('a generated policy cannot escape its confinement', () => {
  it.each(ESCAPES)('%s: no side effect, no secret', (_name, code) => {
    for (const reportErrors of [false, true]) {
      const { outcome, cluster } = run(code, reportErrors);
      expect(cluster.get('v1', 'ConfigMap', 'team', 'pwned')).toBeUndefined();
      expect(JSON.stringify(outcome)).not.toContain(KEY);
      expect(JSON.stringify(outcome)).not.toContain('sa-token');
      expect(outcome.error).toBeUndefined();
    }
  });

  it('the corpus does escape a policy without the guard (so the test above can fail)', () => {
    expect(run(`create(${CREATED})`, false, false).cluster.get('v1', 'ConfigMap', 'team', 'pwned')).toBeDefined();
    expect(JSON.stringify(run(`deny(atob(get('Secret', 'v1', 'jspolicy/gptpolicy-openai').data.OPENAI_API_KEY))`, false, false).outcome)).toContain(KEY);
  });

  it('still reads ordinary objects with get and list', () => {
    const code = "const ns = get('Namespace', 'v1', 'team'); const pods = list('Pod', 'v1', {namespace: 'team'}) || []; deny('saw ' + ns.metadata.name + ' and ' + pods.length + ' pods')";
    expect(run(code, false).outcome).toMatchObject({ allowed: false, message: 'saw team and 0 pods' });
  });
});

describe('the Secret check cannot be talked out of its decision', () => {
  it.each([
    ['String.prototype.toLowerCase replaced', "String.prototype.toLowerCase = function () { return 'pod'; };"],
    ['String replaced', 'String = function () { return "pod"; };'],
    ['a kind that stringifies to Secret', ''],
  ])('%s', (_name, setup) => {
    const kind = setup === '' ? "({ toString: () => 'Secret' })" : "'Secret'";
    const { outcome } = run(`${setup} deny(atob(get(${kind}, 'v1', 'jspolicy/gptpolicy-openai').data.OPENAI_API_KEY))`, false);
    expect(JSON.stringify(outcome)).not.toContain(KEY);
  });
});

describe('reads are confined to what the webhook sees', () => {
  const objects = [
    ...['team', 'other', 'kube-system'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { owner: name } } })),
    ...['team', 'other', 'kube-system'].map((namespace) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace } })),
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } },
  ];
  const read = (code: string, scope: ReadScope) => {
    const cluster = new InMemoryCluster({ objects });
    const policy: JsPolicy = { apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicy', metadata: { name: 'p.gptpolicy.dev' }, spec: { type: 'Validating', operations: ['CREATE'], resources: ['pods'], javascript: wrapWithGuard(code, { reportErrors: true, scope }) } };
    return admit(policy, request, { cluster }).message;
  };
  const probe = `deny(JSON.stringify([
    (list('ConfigMap', 'v1') || []).map((c) => c.metadata.namespace),
    ['team', 'other', 'kube-system'].map((n) => !!get('ConfigMap', 'v1', n + '/c')),
    (list('NamespaceList', 'v1') || []).map((n) => n.metadata.name),
    !!get('Namespace', 'v1', 'other'),
    !!get('Node', 'v1', 'n1'),
    list('ConfigMap', 'v1', { namespace: 'kube-system' }) === undefined,
  ]))`;

  it('the intent names namespace team: only team, its Namespace, no Node', () => {
    const scope = readScopeOf(confineNamespaces(['team'], { protectedNamespaces: OPEN_SCOPE.protectedNamespaces }), []);
    expect(JSON.parse(read(probe, scope) ?? '')).toEqual([['team'], [true, false, false], ['team'], false, false, true]);
  });

  it('the intent names no namespace but nodes: every unprotected namespace, and Nodes', () => {
    const scope = readScopeOf(confineNamespaces([], { protectedNamespaces: OPEN_SCOPE.protectedNamespaces }), clusterKindsNamedIn('Deny pods scheduled to nodes without a zone label'));
    expect(JSON.parse(read(probe, scope) ?? '')).toEqual([['other', 'team'], [true, true, false], ['other', 'team'], true, true, true]);
  });

  it('a selector it does not recognise sees nothing', () => {
    expect(readScopeOf({ matchLabels: { a: 'b' } }, [])).toEqual({ namespaces: [], protectedNamespaces: [], clusterKinds: [] });
  });

  it('cluster-scoped kinds named in the description, in prose or as kinds', () => {
    expect(clusterKindsNamedIn('Deny ClusterRoleBindings that reference a ClusterRole that does not exist.')).toEqual(['clusterrole', 'clusterrolebinding']);
    expect(clusterKindsNamedIn('PVCs must use a storage class that exists')).toEqual(['storageclass']);
    expect(clusterKindsNamedIn('Deny pods in namespaces labelled x')).toEqual([]);
  });
});
