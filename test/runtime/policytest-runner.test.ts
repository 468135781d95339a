import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { JsPolicy } from '../../lib/k8s/types.ts';
import { loadPolicyTest, PolicyTestError, runPolicyTestCases, runPolicyTestFile } from '../../tools/runtime/policytest/index.ts';
import type { PolicyTestCase } from '../../tools/runtime/policytest/index.ts';

const DENY_PROD = `apiVersion: policy.jspolicy.com/v1beta1
kind: JsPolicy
metadata:
  name: deny-prod.example.com
spec:
  operations: ["CREATE"]
  resources: ["pods"]
  namespaceSelector:
    matchLabels:
      env: test
  javascript: |
    warn("checked " + request.name);
    if (request.object.metadata.labels?.env === "prod") {
      deny("pods labelled env=prod are not allowed in " + request.namespace);
    }
`;

const podRequest = (name: string, labels: Record<string, string>, namespace = 'test') => ({
  operation: 'CREATE',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  namespace,
  name,
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
});

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'policytest-'));
}

function writeTest(dir: string, name: string, test: unknown, policy = DENY_PROD): string {
  writeFileSync(path.join(dir, 'deny-prod.yaml'), policy);
  const file = path.join(dir, name);
  writeFileSync(file, typeof test === 'string' ? test : stringify(test));
  return file;
}

describe('PolicyTest file round trip', () => {
  it('runs the cases of a YAML file against the policy it names', () => {
    const dir = tempDir();
    const file = writeTest(dir, 'deny-prod.policytest.yaml', {
      kind: 'PolicyTest',
      policy: 'deny-prod.yaml',
      cluster: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test', labels: { env: 'test' } } }],
      cases: [
        { name: 'prod pod in test is denied', request: podRequest('web', { env: 'prod' }), expect: { result: 'deny', message: 'env=prod', enforced: true, warnings: ['checked web'] } },
        { name: 'dev pod is allowed', request: podRequest('api', { env: 'dev' }), expect: { result: 'allow', warnings: ['[deny-prod.example.com]: checked api'] } },
        { name: 'other namespaces are not selected', request: podRequest('web', { env: 'prod' }, 'other'), expect: { result: 'unmatched', warnings: [] } },
        { name: 'a wrong expectation fails', request: podRequest('web', { env: 'prod' }), expect: { result: 'allow' } },
      ],
    });
    const results = runPolicyTestFile(file);
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ['prod pod in test is denied', true],
      ['dev pod is allowed', true],
      ['other namespaces are not selected', true],
      ['a wrong expectation fails', false],
    ]);
    expect(results[3]?.failures).toEqual(['expected allow, got deny (pods labelled env=prod are not allowed in test)']);
  });

  it('reads JSON too, and fills request defaults (kind/resource/name/namespace from the object, userInfo test-user)', () => {
    const dir = tempDir();
    const policy = `apiVersion: policy.jspolicy.com/v1beta1
kind: JsPolicy
metadata:
  name: show.example.com
spec:
  operations: ["CREATE"]
  resources: ["pods"]
  javascript: |
    deny(JSON.stringify({u: request.userInfo, r: request.resource, n: request.name, ns: request.namespace, old: request.oldObject, o: request.options}))
`;
    const file = writeTest(
      dir,
      't.policytest.json',
      JSON.stringify({
        kind: 'PolicyTest',
        policy: 'deny-prod.yaml',
        cases: [
          {
            name: 'defaults',
            request: { operation: 'CREATE', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'fresh' } } },
            expect: {
              result: 'deny',
              message: JSON.stringify({ u: { username: 'test-user' }, r: { group: '', version: 'v1', resource: 'pods' }, n: 'web', ns: 'fresh', old: null, o: null }),
            },
          },
        ],
      }),
      policy,
    );
    const [result] = runPolicyTestFile(file);
    expect(result?.failures).toEqual([]);
  });

  it('the namespace of a request is created when the cluster lacks it (labels: name only)', () => {
    const policy = JSON.parse(JSON.stringify(loadPolicyDoc()));
    policy.spec.javascript = 'const ns = get("Namespace", "v1", request.namespace); deny(JSON.stringify(ns.metadata.labels))';
    delete policy.spec.namespaceSelector;
    const [result] = runPolicyTestCases(policy, [{ name: 'ns', request: podRequest('a', {}, 'auto') as PolicyTestCase['request'], expect: { result: 'deny', message: '{"kubernetes.io/metadata.name":"auto"}' } }]);
    expect(result?.failures).toEqual([]);
  });
});

function loadPolicyDoc(): JsPolicy {
  const dir = tempDir();
  const file = writeTest(dir, 'x.policytest.yaml', { kind: 'PolicyTest', policy: 'deny-prod.yaml', cases: [{ request: podRequest('a', {}), expect: { result: 'allow' } }] });
  return loadPolicyTest(file).policy;
}

describe('result semantics: verdict before violationPolicy, enforced after', () => {
  const base = (): JsPolicy => {
    const policy = loadPolicyDoc();
    delete policy.spec.namespaceSelector;
    return policy;
  };
  const prodCase = (expect: PolicyTestCase['expect']): PolicyTestCase => ({ name: 'c', request: podRequest('web', { env: 'prod' }) as PolicyTestCase['request'], expect });

  it('a Dry policy that denies: result deny, enforced false, no extra warning', () => {
    const policy = { ...base(), spec: { ...base().spec, violationPolicy: 'Dry' as const } };
    const [ok] = runPolicyTestCases(policy, [prodCase({ result: 'deny', enforced: false, warnings: ['checked web'] })]);
    expect(ok?.failures).toEqual([]);
    const [bad] = runPolicyTestCases(policy, [prodCase({ result: 'deny', enforced: true })]);
    expect(bad?.failures[0]).toMatch(/expected the API server to reject the request/);
  });

  it('a Warn policy that denies: result deny, enforced false, the deny message becomes a warning', () => {
    const policy = { ...base(), spec: { ...base().spec, violationPolicy: 'Warn' as const } };
    const [result] = runPolicyTestCases(policy, [prodCase({ result: 'deny', enforced: false, warnings: ['checked web', '[deny-prod.example.com]: pods labelled env=prod'] })]);
    expect(result?.failures).toEqual([]);
  });

  it('error: the policy threw', () => {
    const policy = { ...base(), spec: { ...base().spec, javascript: 'request.object.spec.nope.length' } };
    const [result] = runPolicyTestCases(policy, [prodCase({ result: 'error', message: 'TypeError', enforced: true, warnings: [] })]);
    expect(result?.failures).toEqual([]);
  });

  it('object: a subset of the mutated object; Dry drops the mutation', () => {
    const policy: JsPolicy = {
      ...base(),
      spec: { ...base().spec, type: 'Mutating', javascript: 'request.object.metadata.annotations = {stamped: "yes"}; request.object.spec.containers[0].imagePullPolicy = "Always"; mutate(request.object)' },
    };
    const expected = { metadata: { annotations: { stamped: 'yes' } }, spec: { containers: [{ name: 'app', imagePullPolicy: 'Always' }] } };
    const [mutated] = runPolicyTestCases(policy, [prodCase({ result: 'allow', object: expected })]);
    expect(mutated?.failures).toEqual([]);
    const dry = { ...policy, spec: { ...policy.spec, violationPolicy: 'Dry' as const } };
    const [dropped] = runPolicyTestCases(dry, [prodCase({ result: 'allow', object: expected })]);
    expect(dropped?.passed).toBe(false);
    expect(dropped?.failures[0]).toMatch(/object\.metadata\.annotations: expected an object, got nothing/);
  });

  it('a policy jsPolicy would refuse or cannot compile fails every case with the reason', () => {
    const refused = { ...base(), metadata: { name: 'Bad_Name' } };
    expect(runPolicyTestCases(refused, [prodCase({ result: 'deny' })])[0]?.failures[0]).toMatch(/^jsPolicy refuses this policy: .*metadata\.name/);
    const broken = { ...base(), spec: { ...base().spec, javascript: 'deny("x"' } };
    expect(runPolicyTestCases(broken, [prodCase({ result: 'deny' })])[0]?.failures[0]).toMatch(/CompileFailed.*error bundling javascript: .*Module parse failed/s);
  });
});

describe('Controller policies in a PolicyTest', () => {
  const controllerPolicy: JsPolicy = {
    apiVersion: 'policy.jspolicy.com/v1beta1',
    kind: 'JsPolicy',
    metadata: { name: 'ctl.example.com' },
    spec: {
      type: 'Controller',
      operations: ['CREATE'],
      resources: ['namespaces'],
      apiGroups: [''],
      objectSelector: { matchLabels: { managed: 'true' } },
      javascript: `if (!get("ConfigMap", "v1", request.name + "/cm")) {
        const r = create({apiVersion: "v1", kind: "ConfigMap", metadata: {name: "cm", namespace: request.name}});
        if (!r.ok) requeue(r.message);
        deny("created");
      }`,
    },
  };
  const ns = (labels: Record<string, string>) => ({ operation: 'CREATE' as const, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels } } });

  it('runs as the controller would (request shape of a controller run), honouring selectors and operations', () => {
    const results = runPolicyTestCases(controllerPolicy, [
      { name: 'creates', request: ns({ managed: 'true' }), expect: { result: 'deny', message: 'created' } },
      { name: 'not selected', request: ns({}), expect: { result: 'unmatched' } },
      { name: 'DELETE not in operations', request: { operation: 'DELETE', kind: { group: '', version: 'v1', kind: 'Namespace' }, name: 'team', oldObject: ns({ managed: 'true' }).object }, expect: { result: 'unmatched' } },
      { name: 'UPDATE is impossible', request: { ...ns({ managed: 'true' }), operation: 'UPDATE' }, expect: { result: 'allow' } },
    ]);
    expect(results.map((r) => r.passed)).toEqual([true, true, true, false]);
    expect(results[3]?.failures[0]).toMatch(/only ever see CREATE/);
  });

  it('requeue is a result for Controller policies', () => {
    const policy = { ...controllerPolicy, spec: { ...controllerPolicy.spec, javascript: 'requeue("later")' } };
    const [result] = runPolicyTestCases(policy, [{ name: 'r', request: ns({ managed: 'true' }), expect: { result: 'requeue', message: 'later' } }]);
    expect(result?.failures).toEqual([]);
  });
});

describe('mistakes in a PolicyTest file name the field and the fix', () => {
  const cases = [{ name: 'c', request: podRequest('a', {}), expect: { result: 'allow' } }];
  it.each<[string, unknown, RegExp]>([
    ['missing policy file', { kind: 'PolicyTest', policy: 'nope.yaml', cases }, /^policy: file nope\.yaml not found .*relative to this PolicyTest file/],
    ['missing policy', { kind: 'PolicyTest', cases }, /^policy: is missing/],
    ['wrong kind', { kind: 'Test', policy: 'deny-prod.yaml', cases }, /^kind: must be PolicyTest/],
    ['no cases', { kind: 'PolicyTest', policy: 'deny-prod.yaml', cases: [] }, /^cases: must be a non-empty list/],
    ['case without request', { kind: 'PolicyTest', policy: 'deny-prod.yaml', cases: [{ name: 'x', expect: { result: 'allow' } }] }, /^cases\[0\] \("x"\)\.request: is missing — add the AdmissionRequest/],
    ['bad expect.result', { kind: 'PolicyTest', policy: 'deny-prod.yaml', cases: [{ ...cases[0], expect: { result: 'denied' } }] }, /^cases\[0\] \("c"\)\.expect\.result: must be one of allow, deny, error, unmatched, requeue, hang, crash \(got "denied"\)/],
    ['bad operation', { kind: 'PolicyTest', policy: 'deny-prod.yaml', cases: [{ ...cases[0], request: { ...podRequest('a', {}), operation: 'create' } }] }, /request\.operation: must be one of CREATE/],
    ['unknown expect field', { kind: 'PolicyTest', policy: 'deny-prod.yaml', cases: [{ ...cases[0], expect: { result: 'allow', warning: 'x' } }] }, /expect\.warning: unknown field/],
    ['bad cluster object', { kind: 'PolicyTest', policy: 'deny-prod.yaml', cluster: [{ kind: 'Namespace' }], cases }, /^cluster\[0\]: must be a Kubernetes object/],
    ['request without any kind', { kind: 'PolicyTest', policy: 'deny-prod.yaml', cases: [{ ...cases[0], request: { operation: 'CREATE' } }] }, /request\.kind: is missing/],
  ])('%s', (_name, doc, message) => {
    const dir = tempDir();
    const file = writeTest(dir, 'bad.policytest.yaml', doc);
    let error: unknown;
    try {
      loadPolicyTest(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyTestError);
    expect((error as Error).message).toMatch(message);
  });

  it('a policy file with no JsPolicy', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    const file = writeTest(dir, 'bad.policytest.yaml', { kind: 'PolicyTest', policy: 'sub/cm.yaml', cases });
    expect(() => loadPolicyTest(file)).toThrow(/holds 0 JsPolicy documents/);
  });

  it('other documents of the policy file (its JsPolicyBundle) join the cluster', () => {
    const dir = tempDir();
    const bundle = gzipSync('deny("from the bundle")').toString('base64');
    const manifest = `apiVersion: policy.jspolicy.com/v1beta1
kind: JsPolicy
metadata:
  name: pre.example.com
spec:
  operations: ["CREATE"]
  resources: ["pods"]
---
apiVersion: policy.jspolicy.com/v1beta1
kind: JsPolicyBundle
metadata:
  name: pre.example.com
spec:
  bundle: ${bundle}
`;
    const file = writeTest(dir, 'pre.policytest.yaml', { kind: 'PolicyTest', policy: 'deny-prod.yaml', cases: [{ name: 'b', request: podRequest('a', {}), expect: { result: 'deny', message: 'from the bundle' } }] }, manifest);
    expect(runPolicyTestFile(file)[0]?.failures).toEqual([]);
  });
});
