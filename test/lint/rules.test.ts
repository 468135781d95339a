// Focused checks of individual rules: scope analysis, false positives, severities per profile, hints.
import { describe, expect, it } from 'vitest';
import { formatFindingsForModel, lintPolicy, lintSummary, type Finding, type LintOptions } from '../../lib/lint/index.ts';
import { BUILTIN_RESOURCES } from '../../lib/k8s/builtin-resources.ts';

function policy(javascript: string, spec: Record<string, unknown> = {}): unknown {
  return {
    apiVersion: 'policy.jspolicy.com/v1beta1',
    kind: 'JsPolicy',
    metadata: { name: 'test.policies.example.com' },
    spec: { type: 'Validating', operations: ['CREATE'], resources: ['pods'], apiGroups: [''], javascript, ...spec },
  };
}
const gen: LintOptions = { profile: 'generated', resources: BUILTIN_RESOURCES };
const jsp: LintOptions = { profile: 'jspolicy', resources: BUILTIN_RESOURCES };
const rules = (fs: Finding[]): string[] => fs.map((f) => `${f.severity} ${f.rule}`);
// These are checks of the other rules; the policy language's own findings are test/lint/subset.test.ts's.
const lint = (js: string, o: LintOptions = gen, spec: Record<string, unknown> = {}): Finding[] => lintPolicy(policy(js, spec), o).filter((f) => !f.rule.startsWith('subset-'));

describe('undeclared-name', () => {
  it('resolves hoisting, nested scopes, params, catch params, classes and labels', () => {
    const js = `
      f();
      function f() { var hoisted = g(1); return hoisted; }
      function g(a, { b = a } = {}, ...rest) { return [a, b, rest, arguments.length]; }
      { let blockScoped = 1; print(blockScoped); }
      try { x(); } catch ({ message }) { print(message); }
      function x() { label: for (const k of [1]) { if (k) continue label; } }
      const C = class Named { m() { return Named; } };
      print(typeof nothingHere, C, globalThis, Intl, WeakRef, exports, __policy);
    `;
    expect(lint(js)).toEqual([]);
  });

  it('finds reads of names declared only in another scope', () => {
    const fs = lint(`function a() { const inner = 1; } a(); print(inner);`);
    expect(rules(fs)).toEqual(['error undeclared-name']);
    expect(fs[0]).toMatchObject({ line: 1, column: 46 });
  });

  it('accepts helper names from options.helpers', () => {
    expect(rules(lint(`denyUnless(request.object.spec.hostNetwork !== true, 'no host network');`))).toEqual(['error undeclared-name']);
    expect(lint(`denyUnless(request.object.spec.hostNetwork !== true, 'no host network');`, { ...gen, helpers: ['denyUnless'] })).toEqual([]);
  });

  it('gives host-API hints and case hints', () => {
    const [host] = lint(`const u = new URL(request.object.metadata.annotations.url);`);
    expect(host.hint).toContain('no URL class');
    const [typo] = lint(`JSON.parse('{}'); Print('x');`);
    expect(typo.hint).toContain('did you mean `print`');
  });

  it('does not hit Object.prototype names', () => {
    expect(rules(lint(`toString(); constructor();`))).toEqual(['error undeclared-name', 'error undeclared-name']);
  });

  it('assignment: error in generated, warning in jspolicy, error in strict code', () => {
    expect(rules(lint(`x = 1; print(x);`))).toEqual(['error undeclared-name']);
    expect(rules(lint(`x = 1; print(x);`, jsp))).toEqual(['warning undeclared-name']);
    expect(rules(lint(`'use strict'; x = 1;`, jsp))).toEqual(['error undeclared-name']);
    expect(rules(lint(`import a from 'a'; x = a;`, jsp))).toEqual(['error undeclared-name', 'warning forbidden-construct']);
  });
});

describe('v8-builtin-missing', () => {
  it('flags ES2023 array methods but not look-alikes', () => {
    expect(rules(lint(`[1].findLastIndex(x => x); [1].toReversed(); [1, 2].with(0, 3);`))).toEqual([
      'error v8-builtin-missing',
      'error v8-builtin-missing',
      'error v8-builtin-missing',
    ]);
    // not Array.prototype.with: one argument / object argument; user function named findLast is fine
    expect(lint(`const t = { with(o) { return o; } }; t.with({ a: 1 }); t.with(1); function findLast() {} findLast();`)).toEqual([]);
    expect(lint(`[1].at(-1); Object.hasOwn({}, 'a'); 'a'.replaceAll('a', 'b'); [1].findIndex(x => x);`)).toEqual([]);
    expect(rules(lint(`Promise.withResolvers(); Map.groupBy([], x => x);`))).toEqual(['error v8-builtin-missing', 'error v8-builtin-missing']);
  });
});

describe('js-syntax', () => {
  it('reports line and column, accepts ES2022 class syntax and top-level return', () => {
    const [f] = lint(`const a = 1;\nconst b = ;`);
    expect(f).toMatchObject({ rule: 'js-syntax', severity: 'error', line: 2, column: 11 });
    expect(lint(`import a from 'a';\nconst b = ;`, jsp)[0]).toMatchObject({ rule: 'js-syntax', line: 2, column: 11 });
    expect(lint(`await 1;`)[0]).toMatchObject({ rule: 'js-syntax' });
    expect(lint(`class A { #p = 1; static { print('s'); } has(o) { return #p in o; } }\nif (!request.object) return;\nprint(/a/d.exec('a').indices);`)).toEqual([]);
  });
});

describe('unbounded-loop', () => {
  it('allows for…of, for…in and counted loops', () => {
    const js = `
      const xs = request.object.spec.containers ?? [];
      for (const x of xs) print(x);
      for (const k in request.object.spec) print(k);
      for (let i = 0; i < xs.length; i++) print(i);
      for (let i = 0; i <= 10000; i += 2) print(i);
      for (let i = xs.length - 1; i >= 0; i--) print(i);
      for (let i = 0; 100 > i; ++i) print(i);
    `;
    expect(lint(js)).toEqual([]);
  });
  it('rejects other loop shapes in generated, warns only for constant-true loops in jspolicy', () => {
    expect(rules(lint(`for (let i = 0; i < 10; i++) { i = 0; }`))).toEqual(['error unbounded-loop']);
    expect(rules(lint(`let n = 3; do { n--; } while (n > 0);`))).toEqual(['error unbounded-loop']);
    expect(rules(lint(`for (;;) { break; }`))).toEqual(['error unbounded-loop']);
    expect(rules(lint(`let n = 3; while (n > 0) n--;`, jsp))).toEqual([]);
    expect(rules(lint(`for (;;) { break; }`, jsp))).toEqual(['warning unbounded-loop']);
    expect(rules(lint(`while (!0) { break; }`, jsp))).toEqual(['warning unbounded-loop']);
  });
});

describe('forbidden-call / mutate rules', () => {
  it('only the host globals count, not local functions of the same name', () => {
    expect(lint(`function update(o) { return o; } update(request.object);`)).toEqual([]);
    expect(rules(lint(`update(request.object);`))).toEqual(['error forbidden-call']);
    expect(rules(lint(`update(request.object);`, jsp))).toEqual(['warning forbidden-call']);
    expect(lint(`update(request.object);`, jsp, { type: 'Controller', operations: ['CREATE'] }).filter((f) => f.rule === 'forbidden-call')).toEqual([]);
  });
  it('Mutating needs mutate()', () => {
    expect(rules(lint(`allow();`, gen, { type: 'Mutating' }))).toEqual(['error mutating-without-mutate']);
    expect(rules(lint(`allow();`, jsp, { type: 'Mutating' }))).toEqual(['warning mutating-without-mutate']);
  });
});

describe('unguarded-object-on-delete', () => {
  const del = { operations: ['CREATE', 'DELETE'] };
  it('flags plain dereferences and accepts the documented guards', () => {
    expect(rules(lint(`print(request.object.metadata.name);`, gen, del))).toEqual(['error unguarded-object-on-delete']);
    expect(rules(lint(`print(request.object.metadata.name);`, jsp, del))).toEqual(['warning unguarded-object-on-delete']);
    expect(lint(`print(request.object.metadata.name);`, gen, { operations: ['CREATE', 'UPDATE'] })).toEqual([]);
    expect(lint(`print(request.object?.metadata.name);`, gen, del)).toEqual([]);
    expect(lint(`if (request.operation !== 'DELETE') print(request.object.metadata.name);`, gen, del)).toEqual([]);
    expect(lint(`if (request.operation === 'DELETE') { print('bye'); allow(); }\nprint(request.object.metadata.name);`, gen, del)).toEqual([]);
    expect(lint(`const o = request.object;\nif (!o) allow();\nprint(o.metadata.name);`, gen, del)).toEqual([]);
    expect(lint(`const n = request.object ? request.object.metadata.name : '';\nprint(n);`, gen, del)).toEqual([]);
    expect(lint(`[1].forEach(() => { if (!request.object) return; print(request.object.spec); });`, gen, del)).toEqual([]);
    // the test of the if is not itself guarded
    expect(rules(lint(`if (request.object.spec.x) deny('x');`, gen, del))).toEqual(['error unguarded-object-on-delete']);
  });
});

describe('list-maybe-undefined', () => {
  it('accepts defaults and checks', () => {
    expect(lint(`const a = list('Pod', 'v1') ?? []; print(a.length);`)).toEqual([]);
    expect(lint(`const a = list('Pod', 'v1'); if (a) print(a.length);`)).toEqual([]);
    expect(lint(`(list('Pod', 'v1') || []).forEach(print); list('Pod', 'v1')?.forEach(print);`)).toEqual([]);
    expect(rules(lint(`for (const p of list('Pod', 'v1')) print(p);`))).toEqual(['error list-maybe-undefined']);
  });
});

describe('resources', () => {
  const crd = { group: 'iam.cnrm.cloud.google.com', version: 'v1beta1', kind: 'IAMPolicy', resource: 'iampolicies', namespaced: true, statusSubresource: true };
  const withCrd: LintOptions = { profile: 'generated', resources: [...BUILTIN_RESOURCES, crd] };
  it('names the right group', () => {
    const fs = lintPolicy(policy('allow();', { resources: ['iampolicies'], apiGroups: ['configconnector.cnrm.cloud.google.com'] }), withCrd);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ rule: 'api-group-mismatch', severity: 'error', path: 'spec.apiGroups' });
    expect(fs[0]?.hint).toContain('set apiGroups to ["iam.cnrm.cloud.google.com"]');
  });
  it('core group for a non-core resource is a mismatch; missing/star groups are too broad', () => {
    expect(rules(lintPolicy(policy('allow();', { resources: ['deployments'] }), gen))).toEqual(['error api-group-mismatch']);
    const broad = lintPolicy(policy('allow();', { resources: ['pods', 'deployments'], apiGroups: undefined }), gen);
    expect(rules(broad)).toEqual(['error api-group-too-broad']);
    expect(broad[0]?.hint).toBe('Set apiGroups to ["", "apps"].');
    expect(rules(lintPolicy(policy('allow();', { apiGroups: ['*'] }), jsp))).toEqual(['warning api-group-too-broad']);
    // All resources in all groups is not "too broad a group", but it is refused as a wildcard.
    expect(rules(lintPolicy(policy('allow();', { resources: ['*'], apiGroups: ['*'] }), gen))).toEqual(['error wildcard-resources']);
    expect(lintPolicy(policy('allow();', { resources: ['*'], apiGroups: ['*'] }), jsp)).toEqual([]);
  });
  it('refuses what the cluster needs to heal itself, and wildcard operations, in generated policies only', () => {
    expect(rules(lintPolicy(policy('allow();', { resources: ['leases'], apiGroups: ['coordination.k8s.io'] }), gen))).toEqual(['error protected-resource']);
    expect(rules(lintPolicy(policy('allow();', { operations: ['*'] }), gen))).toEqual(['error wildcard-operations']);
    expect(rules(lintPolicy(policy('allow();', { operations: ['*'] }), jsp))).toEqual([]);
  });
  it('subresources resolve through their resource; singular names get a plural hint', () => {
    expect(lintPolicy(policy('allow();', { resources: ['pods/exec'] }), gen)).toEqual([]);
    const [f] = lintPolicy(policy('allow();', { resources: ['Deployment'], apiGroups: ['apps'] }), gen);
    expect(f).toMatchObject({ rule: 'unknown-resource' });
    expect(f?.hint).toContain('"deployments"');
  });
});

describe('intent', () => {
  const plan = { resources: [{ group: '', resource: 'pods' }], operations: ['CREATE', 'UPDATE'], namespaces: [] as string[] };
  it('agrees when operations, resources and namespaces match', () => {
    expect(lintPolicy(policy('allow();', { operations: ['CREATE', 'UPDATE'] }), { ...gen, plan })).toEqual([]);
  });
  it('reports missing and extra operations/resources and namespaces', () => {
    const fs = lintPolicy(policy('allow();', { operations: ['CREATE'], resources: ['pods', 'services'] }), { ...gen, plan });
    expect(fs.map((f) => `${f.rule} ${f.path}`)).toEqual(['intent-mismatch spec.operations', 'intent-mismatch spec.resources[1]']);
    const ns = lintPolicy(
      policy('allow();', {
        operations: ['CREATE', 'UPDATE'],
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-b' } },
      }),
      { ...gen, plan: { ...plan, namespaces: ['team-a'] } },
    );
    expect(ns.map((f) => f.rule)).toEqual(['intent-mismatch', 'intent-mismatch']);
    // a namespace checked in code counts as reflected
    expect(
      lintPolicy(policy(`if (request.namespace !== 'team-a') allow();`, { operations: ['CREATE', 'UPDATE'] }), { ...gen, plan: { ...plan, namespaces: ['team-a'] } }),
    ).toEqual([]);
  });
});

describe('output helpers', () => {
  it('summarises and formats one line per finding, errors first', () => {
    const fs = lint(`x = 1; [1].toSorted();`, jsp, { apiGroups: undefined });
    expect(lintSummary(fs)).toEqual({ errors: 1, warnings: 2 });
    const text = formatFindingsForModel(fs);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ERROR v8-builtin-missing at javascript:1:8: .* FIX: Do not call \.toSorted\(\)/);
    expect(lines[1]).toMatch(/^WARNING api-group-too-broad at spec\.apiGroups: .* FIX: Set apiGroups to \[""\]\.$/);
    expect(formatFindingsForModel([])).toBe('No findings.');
  });
  it('returns only not-a-jspolicy for other objects', () => {
    expect(rules(lintPolicy({ apiVersion: 'v1', kind: 'ConfigMap' }, gen))).toEqual(['error not-a-jspolicy']);
    expect(rules(lintPolicy(null, gen))).toEqual(['error not-a-jspolicy']);
  });
});

describe('parse-differential', () => {
  const token = `require('/var/run/secrets/kubernetes.io/serviceaccount/token')`;

  it("finds an HTML-like comment that hides a require() from V8 but not from jsPolicy's webpack step", () => {
    const fs = lint(`var a = 1, b = 2;\na <!--b; ${token}\nif (a > b) deny('x');`);
    expect(rules(fs)).toEqual(['error parse-differential']);
    expect(fs[0]).toMatchObject({ line: 2, column: 3, hint: expect.stringContaining('HTML-like comments') });
  });

  it('finds --> at the start of a line', () => {
    expect(rules(lint(`var x = 1;\n--> ${token}\ndeny('x');`))).toEqual(['error parse-differential']);
  });

  it('accepts what both read alike: spaced operators, the text inside strings', () => {
    expect(lint(`var a = 1, b = 2;\nif (a < !--b) deny('<!-- --> ' + a);`)).toEqual([]);
  });

  it('is a warning for hand-written policies', () => {
    expect(rules(lint(`var a = 1, b = 2;\na <!--b;`, jsp))).toEqual(['warning parse-differential']);
  });
});
