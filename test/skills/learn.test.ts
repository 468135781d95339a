// Self-feeding: an approved policy proposes unverified skills; verification promotes them; a second
// approval of the same code adds nothing; a skill whose tests fail never reaches a prompt.
import { describe, expect, test } from 'vitest';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { ModelAnswer } from '../../lib/model/answer.ts';
import { inlineHelpers } from '../../lib/skills/inline.ts';
import { exampleFunctionName, learnFromApproval, skillCodeHash } from '../../lib/skills/learn.ts';
import { retrieve } from '../../lib/skills/retrieve.ts';
import type { HelperProposal, PolicySkill } from '../../lib/skills/types.ts';
import { skillProblems } from '../../lib/skills/validate.ts';
import { verifyLibraryInEngine as verifyLibrary } from '../../tools/skills/verify-in-engine.ts';
import { admit, pod, requestJson } from '../../skills/fixtures.ts';
import { starterLibrary } from './library.ts';

const starter = await starterLibrary();

/** One skill verified against a verified library, in the V8 9.6 engine as the controller does it. */
function verifySkill(skill: PolicySkill, library: readonly PolicySkill[] = []) {
  return verifyLibrary([...library, skill]).at(-1)!.verification;
}

const gp: GPTPolicy = {
  apiVersion: 'gptpolicy.dev/v1alpha1',
  kind: 'GPTPolicy',
  metadata: { name: 'no-debug-images' },
  spec: { description: 'Deny pods that run debug images' },
  status: { rollout: { stage: 'Deny', specHash: 'a'.repeat(64), approvedBy: 'alice@example.com' } },
};

const HELPER_CODE = `function usesDebugImage(obj) {
  return containerImages(obj).some(function (image) { return image.indexOf('debug') >= 0; });
}`;

const proposal: HelperProposal = {
  function: 'usesDebugImage',
  description: 'Whether any container of a pod-bearing object runs an image whose name contains "debug".',
  code: HELPER_CODE,
  reusable: true,
  tests: [
    { name: 'debug image', call: 'usesDebugImage(request.object)', request: admit(pod({ containers: [{ name: 'a', image: 'tools/debug:1' }] })), expect: { result: 'deny', message: 'true' } },
    { name: 'plain image', call: 'usesDebugImage(request.object)', request: admit(pod({ containers: [{ name: 'a', image: 'nginx:1' }] })), expect: { result: 'allow' } },
  ],
};

const answer: ModelAnswer = {
  plan: {
    summary: 'Deny pods with a debug image',
    resources: [{ group: '', version: 'v1', resource: 'pods' }],
    operations: ['CREATE'],
    namespaces: [],
    denies: 'pods running an image with debug in its name',
    allows: 'other pods',
    mutates: '',
  },
  policy: {
    type: 'Validating',
    operations: ['CREATE'],
    resources: ['pods'],
    apiGroups: [''],
    apiVersions: ['v1'],
    scope: 'Namespaced',
    objectSelector: '',
    javascript: "if (usesDebugImage(request.object)) deny('debug images are not allowed');",
  },
  tests: [
    { name: 'debug pod is denied', request: requestJson(pod({ containers: [{ name: 'a', image: 'tools/debug:1' }] })), expect: 'deny', detail: 'debug images' },
    { name: 'plain pod is allowed', request: requestJson(pod({ containers: [{ name: 'a', image: 'nginx:1' }] })), expect: 'allow', detail: '' },
  ],
};

describe('learning from an approval', () => {
  const learned = learnFromApproval(gp, answer, [proposal, { ...proposal, function: 'notReusable', code: 'function notReusable() { return 1; }', reusable: false }], starter);

  test('proposes the reusable helper and the example, unverified, with provenance', () => {
    expect(learned.map((s) => [s.metadata.name, s.spec.kind, s.status?.verified])).toEqual([
      ['uses-debug-image', 'helper', false],
      ['example-no-debug-images', 'example', false],
    ]);
    for (const s of learned) {
      expect(s.spec.provenance).toEqual({ source: 'learned', gptPolicy: 'no-debug-images', approvedBy: 'alice@example.com', codeHash: skillCodeHash(s.spec.code) });
      expect(skillProblems(s)).toEqual([]);
      expect(s.metadata.labels?.['gptpolicy.dev/learned-from']).toBe('no-debug-images');
    }
    expect(learned[0]?.spec.calls).toEqual(['containerImages']);
    expect(learned[1]?.spec.calls).toEqual(['usesDebugImage']);
    expect(learned[1]?.spec.example?.intent).toBe('Deny pods that run debug images');
  });

  test('unverified, they reach neither the prompt nor a policy', () => {
    const library = [...starter, ...learned];
    expect(retrieve('Deny pods that run debug images', library).skills.map((s) => s.spec.function)).not.toContain('usesDebugImage');
    expect(inlineHelpers(answer.policy.javascript, library).used).toEqual([]);
  });

  test('verification promotes them, and then retrieval finds them', () => {
    const checked = verifyLibrary([...starter, ...learned]);
    const promoted = checked.slice(starter.length);
    expect(promoted.map((r) => r.verification)).toEqual([{ verified: true }, { verified: true }]);
    const library = checked.map((r) => r.skill);
    const got = retrieve('Block pods running debug images', library).skills.map((s) => s.spec.function);
    expect(got).toContain('usesDebugImage');
    expect(got).toContain('exampleNoDebugImages');
    expect(inlineHelpers(answer.policy.javascript, library).used).toEqual(['podSpecOf', 'allContainers', 'containerImages', 'usesDebugImage']);
  });

  test('a second approval of the same code adds nothing', () => {
    expect(learnFromApproval(gp, answer, [proposal], [...starter, ...learned])).toEqual([]);
    // Not even from another GPTPolicy with the same answer and intent text.
    expect(learnFromApproval({ ...gp, metadata: { name: 'other' } }, answer, [proposal], [...starter, ...learned])).toEqual([]);
  });

  test('a helper whose name is taken is not added; a taken example name gets a suffix', () => {
    const other = { ...proposal, code: HELPER_CODE.replace("'debug'", "'dbg'") };
    const changed = { ...answer, policy: { ...answer.policy, javascript: `${answer.policy.javascript}\n// v2` } };
    const again = learnFromApproval(gp, changed, [other], [...starter, ...learned]);
    expect(again.map((s) => s.spec.function)).toEqual(['exampleNoDebugImages2']);
  });

  test('duplicates inside one batch are dropped too', () => {
    expect(learnFromApproval(gp, answer, [proposal, { ...proposal }], starter).map((s) => s.spec.function)).toEqual(['usesDebugImage', 'exampleNoDebugImages']);
  });
});

test('example function names come from the GPTPolicy name', () => {
  expect(exampleFunctionName('deny-prod')).toBe('exampleDenyProd');
  expect(exampleFunctionName('team-a.v2')).toBe('exampleTeamAV2');
});

describe('a skill whose tests fail', () => {
  const broken: PolicySkill = {
    ...(starter.find((s) => s.spec.function === 'serviceType') as PolicySkill),
    status: undefined,
  };
  const wrong: PolicySkill = { ...broken, spec: { ...broken.spec, code: broken.spec.code.replace('"ClusterIP"', '"NodePort"') } };

  test('is not verified, and says which case failed', () => {
    const v = verifySkill(wrong, starter);
    expect(v.verified).toBe(false);
    expect(v.failingCase).toBe('default ClusterIP');
    expect(v.message).toMatch(/expected a message containing "\\"ClusterIP\\"", got "\\"NodePort\\""/);
  });

  test('is never returned by retrieve, whatever the intent', () => {
    const library = verifyLibrary([...starter.filter((s) => s.spec.function !== 'serviceType'), wrong]).map((r) => r.skill);
    const verdict = library.find((s) => s.spec.function === 'serviceType');
    expect(verdict?.status).toMatchObject({ verified: false, failingCase: 'default ClusterIP' });
    for (const intent of ['Disallow NodePort services', 'service type', 'The type of a Service: spec.type, or "ClusterIP"']) {
      expect(retrieve(intent, library, { k: 50, tokenBudget: 100000 }).skills.map((s) => s.spec.function)).not.toContain('serviceType');
    }
    // And the example that calls it fails verification as well (its helper is not verified).
    expect(library.find((s) => s.spec.function === 'exampleDenyNodeportServices')?.status?.verified).toBe(false);
  });

  test('helpers with bad shapes are refused before running', () => {
    expect(verifySkill({ ...broken, spec: { ...broken.spec, tests: broken.spec.tests?.slice(0, 1) } })).toMatchObject({ verified: false, failingCase: 'tests' });
    expect(verifySkill({ ...broken, spec: { ...broken.spec, code: 'var x = 1;' } })).toMatchObject({ verified: false, failingCase: 'code' });
    expect(verifySkill({ ...broken, spec: { ...broken.spec, calls: ['nowhere'] } }, starter)).toMatchObject({ verified: false, failingCase: 'calls' });
    const escape = { ...broken, spec: { ...broken.spec, code: 'function serviceType(obj) { return fetchSync("http://x").text(); }' } };
    expect(verifySkill(escape, starter).verified).toBe(false);
  });
});
