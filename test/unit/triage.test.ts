import { describe, expect, it } from 'vitest';
import { intentHash } from '../../lib/controller/intent.ts';
import { reconcile } from '../../lib/controller/reconcile.ts';
import { NARROW_FINALIZER } from '../../lib/controller/removal.ts';
import { needsRun } from '../../lib/controller/triage.ts';
import { OWNER_LABEL, OWNER_NAMESPACE_LABEL, OWNER_UID_LABEL } from '../../lib/gptpolicy/api.ts';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import type { AdmissionRequest, KubeObject } from '../../lib/k8s/types.ts';
import type { Platform } from '../../lib/platform/platform.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function event(kind: string, object: KubeObject | null, operation: AdmissionRequest['operation'] = 'CREATE'): AdmissionRequest {
  return {
    uid: 'u',
    kind: { group: '', version: '', kind },
    resource: { group: '', version: '', resource: '' },
    operation,
    userInfo: {},
    object,
    oldObject: null,
    options: null,
  };
}

function gptPolicy(status?: Record<string, unknown>): GPTPolicy {
  const gp = { apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'GPTPolicy', metadata: { name: 'a', generation: 1 }, spec: { description: 'Deny pods labelled env=prod in namespace test' } } as GPTPolicy;
  return status ? ({ ...gp, status } as GPTPolicy) : gp;
}

const reconciled = (extra: Record<string, unknown> = {}): GPTPolicy => gptPolicy({ intentHash: intentHash(gptPolicy()), rollout: { specHash: 'h1' }, ...extra });

function jsPolicy(labels: Record<string, string>, status?: Record<string, unknown>): KubeObject {
  return { apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicy', metadata: { name: 'a.gptpolicy.dev', generation: 2, labels }, spec: {}, ...(status ? { status } : {}) } as KubeObject;
}

const namespaced = (status?: Record<string, unknown>): GPTPolicy => ({ ...gptPolicy(status), kind: 'NamespacedGPTPolicy', metadata: { name: 'a', namespace: 'team-a', generation: 1 } }) as GPTPolicy;
const namespacedReconciled = (): GPTPolicy => namespaced({ intentHash: intentHash(namespaced()), rollout: { specHash: 'h1' } });

const compileFailed = { observedGeneration: 2, conditions: [{ type: 'BundleCompiled', status: 'False', reason: 'CompileFailed', message: 'Module parse failed' }] };

/** A platform on which anything but reading the clock is a failure: what a no-op event may do. */
function inert(): Platform {
  const refuse = (what: string) => () => {
    throw new Error(`a no-op event called ${what}`);
  };
  return {
    now: () => NOW,
    env: refuse('env'),
    readFile: refuse('readFile'),
    getUncached: refuse('getUncached'),
    listUncached: refuse('listUncached'),
    create: refuse('create'),
    update: refuse('update'),
    fetch: refuse('fetch'),
    log: refuse('log'),
    requeue: refuse('requeue'),
    toolkit: refuse('toolkit'),
  } as unknown as Platform;
}

const nothingToDo: Array<[string, AdmissionRequest]> = [
  ['a GPTPolicy whose status describes its intent', event('GPTPolicy', reconciled())],
  ['a GPTPolicy whose preview is done', event('GPTPolicy', reconciled({ impact: { pending: false, specHash: 'h1' } }))],
  ['a JsPolicy that is not ours', event('JsPolicy', jsPolicy({}, compileFailed))],
  ['our JsPolicy that compiled', event('JsPolicy', jsPolicy({ [OWNER_LABEL]: 'a' }, { observedGeneration: 2, conditions: [{ type: 'BundleCompiled', status: 'True' }] }))],
  ['our JsPolicy whose compile verdict is about an older spec', event('JsPolicy', jsPolicy({ [OWNER_LABEL]: 'a' }, { ...compileFailed, observedGeneration: 1 }))],
  ["another policy's violations", event('JsPolicyViolations', { apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicyViolations', metadata: { name: 'deny-nodeport' } })],
  ['a verified PolicySkill', event('PolicySkill', { apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'PolicySkill', metadata: { name: 's', generation: 3 }, status: { observedGeneration: 3 } })],
  ['a deleted GPTPolicy', event('GPTPolicy', reconciled(), 'DELETE')],
  ['a GPTPolicy being deleted after our finalizer was released', event('GPTPolicy', { ...reconciled(), metadata: { name: 'a', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['other.example.com/x'] } } as GPTPolicy)],
  ['an event without an object', event('GPTPolicy', null, 'DELETE')],
  ['a NamespacedGPTPolicy whose status describes its intent', event('NamespacedGPTPolicy', namespacedReconciled())],
  ['a NamespacedGPTPolicy being deleted after our finalizer was released', event('NamespacedGPTPolicy', { ...namespacedReconciled(), metadata: { name: 'a', namespace: 'team-a', deletionTimestamp: '2026-01-01T00:00:00Z' } } as GPTPolicy)],
  ["another policy's violations named like ours but elsewhere", event('JsPolicyViolations', { apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicyViolations', metadata: { name: 'a.ns-gptpolicy.dev.example.com' } })],
  ['a JsPolicy being deleted', event('JsPolicy', { ...jsPolicy({ [OWNER_LABEL]: 'a' }, compileFailed), metadata: { name: 'a.gptpolicy.dev', deletionTimestamp: '2026-01-01T00:00:00Z' } })],
];

const somethingToDo: Array<[string, AdmissionRequest]> = [
  ['a new GPTPolicy', event('GPTPolicy', gptPolicy())],
  ['a changed description', event('GPTPolicy', { ...reconciled(), spec: { description: 'Deny pods labelled env=dev' } } as GPTPolicy)],
  ['a pending preview', event('GPTPolicy', reconciled({ impact: { pending: true, specHash: 'h1' } }))],
  ['a GPTPolicy being deleted, still holding our finalizer', event('GPTPolicy', { ...reconciled(), metadata: { name: 'a', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: [NARROW_FINALIZER] } } as GPTPolicy)],
  ['a new NamespacedGPTPolicy', event('NamespacedGPTPolicy', namespaced())],
  ['a NamespacedGPTPolicy being deleted, still holding our finalizer', event('NamespacedGPTPolicy', { ...namespacedReconciled(), metadata: { name: 'a', namespace: 'team-a', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: [NARROW_FINALIZER] } } as GPTPolicy)],
  ['a NamespacedGPTPolicy gone without our finalizer (its policy may be left to sweep)', { ...event('NamespacedGPTPolicy', null, 'DELETE'), namespace: 'team-a', name: 'a' }],
  ["a NamespacedGPTPolicy's JsPolicy (checked for an owner that is gone)", event('JsPolicy', jsPolicy({ [OWNER_LABEL]: 'a', [OWNER_NAMESPACE_LABEL]: 'team-a', [OWNER_UID_LABEL]: 'u' }))],
  ['a NamespacedPolicyApproval', event('NamespacedPolicyApproval', { apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'NamespacedPolicyApproval', metadata: { name: 'x', namespace: 'team-a' } })],
  ["a NamespacedGPTPolicy's violations", event('JsPolicyViolations', { apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicyViolations', metadata: { name: 'a.team-a.ns-gptpolicy.dev' } })],
  ['a PolicyApproval', event('PolicyApproval', { apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'PolicyApproval', metadata: { name: 'x' } })],
  ['our JsPolicy that failed to compile', event('JsPolicy', jsPolicy({ [OWNER_LABEL]: 'a' }, compileFailed))],
  ["our policy's violations", event('JsPolicyViolations', { apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicyViolations', metadata: { name: 'a.gptpolicy.dev' } })],
  ['a changed PolicySkill', event('PolicySkill', { apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'PolicySkill', metadata: { name: 's', generation: 4 }, status: { observedGeneration: 3 } })],
];

describe('triage: what a no-op event compiles', () => {
  it.each(nothingToDo)('%s needs no run, and reconcile would indeed do nothing', (_name, request) => {
    expect(needsRun(request)).toBe(false);
    expect(() => reconcile(inert(), request)).not.toThrow();
  });

  it('the bookkeeping controller never acts on a GPTPolicy, so it can never reach the model', () => {
    expect(() => reconcile(inert(), event('GPTPolicy', gptPolicy()), 'bookkeeping')).not.toThrow();
    expect(() => reconcile(inert(), event('NamespacedGPTPolicy', namespaced()), 'bookkeeping')).not.toThrow();
  });

  it.each(somethingToDo)('%s needs a run', (_name, request) => {
    expect(needsRun(request)).toBe(true);
    // The other half of the contract: reconcile does act on it (it reaches the platform).
    expect(() => reconcile(inert(), request)).toThrow(/a no-op event called/);
  });
});

describe('triage of what it cannot read', () => {
  it('hands an object without a spec to the reconciler, which reports it', () => {
    const broken = { apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'GPTPolicy', metadata: { name: 'a' } } as KubeObject;
    expect(needsRun(event('GPTPolicy', broken))).toBe(true);
  });
});
