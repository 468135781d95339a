// Label values that stand for names: valid for every legal name (253 characters, dots anywhere),
// and never read back as the name once shortened — the full name is in an annotation, and who owns
// a policy is still its uid label or ownerReference.
import { describe, expect, it } from 'vitest';
import { namespacedPolicyName } from '../../lib/controller/naming.ts';
import { ownerKeyOf, ownerOf } from '../../lib/controller/compile-feedback.ts';
import { isOwnedBy } from '../../lib/controller/ownership.ts';
import { sweepIfOrphaned } from '../../lib/controller/removal.ts';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import { isValidLabelValue } from '../../lib/jspolicy/validate-spec.ts';
import { labelValueFor } from '../../lib/k8s/label-value.ts';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import type { Platform } from '../../lib/platform/platform.ts';
import { buildJsPolicy } from '../../lib/policy/build-jspolicy.ts';
import { learnFromApproval } from '../../lib/skills/learn.ts';
import { denyProdAnswer } from '../fixtures/answers.ts';

const GUARDRAILS = { protectedNamespaces: ['kube-system'] };
// 253 characters, a dot where a 63-character cut would end the value.
const LONG = `${'a'.repeat(62)}.${'b'.repeat(190)}`;

describe('labelValueFor', () => {
  it('keeps a name that fits, and shortens any other to a valid value unique to it', () => {
    expect(labelValueFor('deny-prod')).toBe('deny-prod');
    expect(labelValueFor('a'.repeat(63))).toBe('a'.repeat(63));
    const names = [LONG, `${LONG.slice(0, 252)}c`, 'x'.repeat(64), `${'y'.repeat(52)}.-.z${'q'.repeat(30)}`];
    const values = names.map(labelValueFor);
    for (const value of values) expect(isValidLabelValue(value)).toEqual([]);
    expect(new Set(values).size).toBe(names.length);
    expect(values[0]).toMatch(/^a{52}-[0-9a-f]{10}$/);
  });
});

describe('owner labels of a generated JsPolicy for a 253-character name', () => {
  const owners: GPTPolicy[] = [
    { apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'GPTPolicy', metadata: { name: LONG, uid: 'uid-c' }, spec: { description: 'Deny pods labelled env=prod' } },
    { apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'NamespacedGPTPolicy', metadata: { name: LONG, namespace: 'team-a', uid: 'uid-n' }, spec: { description: 'Deny pods labelled env=prod' } },
  ];

  it.each(owners)('$kind: every label valid, the full name in the annotation, found and owned by it', (owner) => {
    const namespace = owner.metadata.namespace;
    const built = buildJsPolicy(owner, denyProdAnswer(), { name: namespacedPolicyName(namespace ?? 'x', LONG), intentHash: 'h', guardrails: GUARDRAILS, ...(namespace ? { namespace } : {}) });
    if (!built.ok) throw new Error(built.message);
    const { labels = {}, annotations = {} } = built.policy.metadata;
    for (const value of Object.values(labels)) expect(isValidLabelValue(value)).toEqual([]);
    expect(labels['gptpolicy.dev/owner']).toBe(labelValueFor(LONG));
    expect(annotations['gptpolicy.dev/owner-name']).toBe(LONG);
    expect(ownerOf(built.policy)).toBe(LONG);
    expect(ownerKeyOf(built.policy)?.key).toBe(namespace ? `team-a/${LONG}` : LONG);
    expect(isOwnedBy(built.policy, owner)).toBe(true);
  });

  it('a name that fits is its own label, with no annotation', () => {
    const built = buildJsPolicy({ ...(owners[0] as GPTPolicy), metadata: { name: 'deny-prod', uid: 'u' } }, denyProdAnswer(), { name: 'deny-prod.gptpolicy.dev', intentHash: 'h', guardrails: GUARDRAILS });
    if (!built.ok) throw new Error(built.message);
    expect(built.policy.metadata.labels?.['gptpolicy.dev/owner']).toBe('deny-prod');
    expect(built.policy.metadata.annotations?.['gptpolicy.dev/owner-name']).toBeUndefined();
  });

  it('the orphan sweep finds a living owner of a long name by its full name, and leaves its policy', () => {
    const owner = owners[1] as GPTPolicy;
    const built = buildJsPolicy(owner, denyProdAnswer(), { name: namespacedPolicyName('team-a', LONG), intentHash: 'h', guardrails: GUARDRAILS, namespace: 'team-a' });
    if (!built.ok) throw new Error(built.message);
    const calls: string[] = [];
    const platform = {
      getUncached: (kind: string, _v: string, key: string) => (kind === 'NamespacedGPTPolicy' && key === `team-a/${LONG}` ? owner : kind === 'JsPolicy' ? built.policy : undefined),
      update: () => (calls.push('update'), { ok: true }),
      remove: () => (calls.push('remove'), { ok: true }),
      log: () => undefined,
      requeue: () => calls.push('requeue'),
      now: () => 0,
    } as unknown as Platform;
    expect(sweepIfOrphaned(platform, built.policy as JsPolicy)).toBe(false);
    expect(calls).toEqual([]);
  });
});

describe('the learned-from label of a skill', () => {
  it('is valid for a long name whose 63rd character is a dot', () => {
    const gp = { apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'GPTPolicy', metadata: { name: LONG }, spec: { description: 'x' } } as GPTPolicy;
    const learned: KubeObject[] = learnFromApproval(gp, denyProdAnswer());
    expect(learned.length).toBeGreaterThan(0);
    for (const skill of learned) expect(skill.metadata.labels?.['gptpolicy.dev/learned-from']).toBe(labelValueFor(LONG));
    expect(isValidLabelValue(LONG.slice(0, 63))).not.toEqual([]);
  });
});
