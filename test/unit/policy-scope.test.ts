import { describe, expect, it } from 'vitest';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import { buildJsPolicy } from '../../lib/policy/build-jspolicy.ts';
import { namespacesNamedIn } from '../../lib/policy/intent-namespaces.ts';
import { INCIDENT_INTENT, prototypeAnswer } from '../fixtures/answers.ts';

describe('namespacesNamedIn', () => {
  it.each([
    [INCIDENT_INTENT, ['test']],
    ['Deny pods labelled env=prod in namespace test', ['test']],
    ['In the test and staging namespaces, deny pods without limits', ['test', 'staging']],
    ['Deny pods in namespaces team-a, team-b and team-c without an owner label', ['team-a', 'team-b', 'team-c']],
    ['Deny pods in the default namespace', ['default']],
    ['Require an owner label on every pod in any namespace', []],
    ['Deny services of type LoadBalancer', []],
    ['Deny creating Namespaces without an owner label', []],
    ['Deny deleting Namespaces labelled protected=true', []],
    ['Deny pods that share the host PID or IPC namespace', []],
    ['Deny a pod that mounts a secret from another namespace', []],
    ['Only namespaces labelled team=x may run privileged pods', []],
    ['Within the payments namespace, deny services of type NodePort', ['payments']],
  ])('%j names %j', (description, expected) => {
    expect(namespacesNamedIn(description)).toEqual(expected);
  });
});

describe('buildJsPolicy scope', () => {
  const owner = (description: string): GPTPolicy => ({ apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'GPTPolicy', metadata: { name: 'p', uid: 'u' }, spec: { description } });
  const ctx = { name: 'p.gptpolicy.dev', intentHash: 'h', guardrails: { protectedNamespaces: ['jspolicy', 'kube-node-lease', 'kube-public', 'kube-system'] } };

  it("confines the prototype's unscoped answer to the namespace the intent names", () => {
    const built = buildJsPolicy(owner(INCIDENT_INTENT), prototypeAnswer(), ctx);
    expect(built.ok && built.policy.spec.namespaceSelector?.matchExpressions).toEqual([
      { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['test'] },
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ctx.guardrails.protectedNamespaces },
    ]);
  });

  it('refuses, for good, an intent about a protected namespace', () => {
    const built = buildJsPolicy(owner('Deny privileged pods in the kube-system namespace'), prototypeAnswer(), ctx);
    expect(built).toMatchObject({ ok: false, reason: 'PolicyRefused', final: true });
  });
});

describe('changedPaths', () => {
  it('lists the leaves a mutation changed', async () => {
    const { changedPaths } = await import('../../lib/toolkit/run-cases.ts');
    const before = { metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'c', imagePullPolicy: 'IfNotPresent' }] } };
    const after = { metadata: { labels: { a: '1', team: 'x' } }, spec: { containers: [{ name: 'c', imagePullPolicy: 'Always' }, { name: 'sidecar' }] } };
    expect(changedPaths(before, after)).toEqual(['metadata.labels.team', 'spec.containers[0].imagePullPolicy', 'spec.containers[1]']);
  });
});
