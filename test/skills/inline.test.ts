// Composition: the emitted policy carries exactly the helpers it calls, transitively, and runs alone.
import { describe, expect, test } from 'vitest';
import type { JsPolicy } from '../../lib/k8s/types.ts';
import { inlineHelpers, scanNames } from '../../lib/skills/inline.ts';
import { completeRequest } from '../../lib/skills/verify.ts';
import { runPolicyScript, runPolicyTestCases } from '../../tools/runtime/index.ts';
import { admit, pod } from '../../skills/fixtures.ts';
import { SandboxHost } from '../sandbox/harness.ts';
import { starterLibrary } from './library.ts';

const skills = await starterLibrary();
// The sandbox as the controller runs it: in a context of the V8 9.6 engine.
const sandbox = new SandboxHost();
const runCandidate = (input: Parameters<SandboxHost['run']>[0]) => sandbox.run(input);

const POLICY = `var ALLOWED = ['registry.example.com'];
var bad = containerImages(request.object).filter(function (i) { return !imageFromAllowedRegistry(i, ALLOWED); });
if (bad.length > 0) deny('images must come from ' + ALLOWED.join(', ') + ': ' + bad.join(', '));`;

function jsPolicy(javascript: string): JsPolicy {
  return {
    apiVersion: 'policy.jspolicy.com/v1beta1',
    kind: 'JsPolicy',
    metadata: { name: 'registries.gptpolicy.dev' },
    spec: { type: 'Validating', operations: ['CREATE', 'UPDATE'], resources: ['pods'], apiGroups: [''], apiVersions: ['v1'], scope: 'Namespaced', javascript },
  };
}

describe('a policy calling two helpers, one of which calls others', () => {
  const inlined = inlineHelpers(POLICY, skills);

  test('gets exactly those helpers, callees first', () => {
    expect(inlined.used).toEqual(['podSpecOf', 'allContainers', 'containerImages', 'parseImage', 'imageFromAllowedRegistry']);
    expect(inlined.missing).toEqual([]);
    expect(inlined.javascript.endsWith(POLICY)).toBe(true);
    expect(inlined.javascript).not.toContain('function usesLatestTag');
    for (const name of inlined.used) expect(inlined.javascript.split(`function ${name}(`)).toHaveLength(2);
  });

  test('is self-contained: it runs in the local jsPolicy runtime with no library', () => {
    const results = runPolicyTestCases(jsPolicy(inlined.javascript), [
      { name: 'docker hub image is denied', request: admit(pod({ initContainers: [{ name: 'i', image: 'busybox' }], containers: [{ name: 'a', image: 'registry.example.com/a:1' }] })) as never, expect: { result: 'deny', message: 'busybox' } },
      { name: 'allowed registry passes', request: admit(pod({ containers: [{ name: 'a', image: 'registry.example.com/a:1' }] })) as never, expect: { result: 'allow' } },
    ]);
    for (const r of results) expect(r.failures, r.name).toEqual([]);
    // And the bare script, as jsPolicy's VM runs spec.javascript.
    const outcome = runPolicyScript({
      policyName: 'registries.gptpolicy.dev',
      javascript: inlined.javascript,
      request: completeRequest(admit(pod({ containers: [{ name: 'a', image: 'nginx' }] }))),
    } as Parameters<typeof runPolicyScript>[0]);
    expect(outcome).toMatchObject({ kind: 'completed', response: { deny: true, message: 'images must come from registry.example.com: nginx' } });
  });

  test('without inlining the same code fails: the helpers really come from the library', () => {
    const result = runCandidate({ javascript: POLICY, policyType: 'Validating', request: completeRequest(admit(pod({ containers: [{ name: 'a', image: 'nginx' }] }))) });
    expect(result.verdict).toBe('error');
    expect(result.message).toMatch(/containerImages is not (defined|a function)/);
  });

  test('the inlined policy also passes in the sandbox', () => {
    const result = runCandidate({ javascript: inlined.javascript, policyType: 'Validating', request: completeRequest(admit(pod({ containers: [{ name: 'a', image: 'nginx' }] }))) });
    expect(result).toMatchObject({ verdict: 'deny', message: 'images must come from registry.example.com: nginx' });
  });
});

describe('scanNames', () => {
  test('strings, comments, regexes and property names are not calls', () => {
    const { used } = scanNames(`
      var a = 'labelOf(x)' + "hasLabel(y)"; // usesLatestTag(z)
      /* imageTag(q) */ var r = /parseImage\\(/.test(a);
      obj.serviceType(x); obj?.ingressHosts; x.y.namespaceOf;
      var t = \`text podSpecOf \${ allContainers(request.object).length } more \${ { a: 1 }.a }\`;
      if (a) { countObjects(list('Pod', 'v1')); }
      var q = 1 / 2 / missingLabels(o, []);
    `);
    for (const n of ['labelOf', 'hasLabel', 'usesLatestTag', 'imageTag', 'parseImage', 'serviceType', 'ingressHosts', 'namespaceOf', 'podSpecOf']) expect(used.has(n), n).toBe(false);
    for (const n of ['allContainers', 'countObjects', 'missingLabels', 'request']) expect(used.has(n), n).toBe(true);
  });

  test("the script's own declarations win over the library", () => {
    const own = `function labelOf(o, k) { return 'mine'; }\nif (labelOf(request.object, 'x') === 'mine' && hasLabel(request.object, 'y')) deny('x');`;
    const inlined = inlineHelpers(own, skills);
    // hasLabel is inlined; the labelOf it calls is the script's own.
    expect(inlined.used).toEqual(['hasLabel']);
    expect(inlined.missing).toEqual([]);
    expect(inlined.javascript).not.toContain('function labelOf(obj');
    expect(inlineHelpers(`const usesLatestTag = 1; imageTag('a:1');`, skills).used).toEqual(['parseImage', 'imageTag']);
  });

  test('unverified helpers are not inlined (unless asked)', () => {
    const unverified = skills.map((s) => (s.spec.function === 'serviceType' ? { ...s, status: { verified: false } } : s));
    expect(inlineHelpers('serviceType(request.object)', unverified)).toMatchObject({ used: [], javascript: 'serviceType(request.object)' });
    expect(inlineHelpers('serviceType(request.object)', unverified, { verifiedOnly: false }).used).toEqual(['serviceType']);
  });

  test('no helper called: the script is unchanged', () => {
    expect(inlineHelpers("deny('no')", skills)).toEqual({ javascript: "deny('no')", used: [], missing: [] });
  });
});
