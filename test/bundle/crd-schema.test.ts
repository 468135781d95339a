// A real API server prunes every field a structural schema does not declare, and so does the
// in-memory one now (silently, as the real one does): so the statuses the built controller writes
// are checked against our CRDs here, where a pruned field would show.
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/k8s/types.ts';
import { startFakeModel, type FakeModel } from '../../tools/fake-model/index.ts';
import { builtSkills, LocalJsPolicy, readYamlObjects } from '../../tools/local/local-jspolicy.ts';
import { repoFile } from '../../tools/local/paths.ts';
import { INCIDENT_INTENT, prototypeAnswer } from '../fixtures/answers.ts';

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

/** Paths in `value` that the schema would prune. */
function undeclared(value: unknown, schema: Schema | undefined, path: string): string[] {
  if (!schema) return [path];
  if (schema['x-kubernetes-preserve-unknown-fields'] || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => undeclared(item, schema.items, `${path}[${i}]`));
  return Object.entries(value).flatMap(([key, v]) => undeclared(v, schema.properties?.[key], `${path}.${key}`));
}

function statusSchema(kind: string): Schema {
  const crd = readYamlObjects(repoFile('manifests/gptpolicy-crds.yaml')).find((c) => (c.spec as { names: { kind: string } }).names.kind === kind) as KubeObject;
  const version = (crd.spec as { versions: Array<{ schema: { openAPIV3Schema: Schema } }> }).versions[0]!;
  return version.schema.openAPIV3Schema.properties!.status!;
}

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
});

describe('what the controller writes survives structural pruning', () => {
  it('GPTPolicy, PolicyApproval and PolicySkill statuses are fully declared', { timeout: 60_000 }, async () => {
    model = await startFakeModel([{ toolCall: { name: 'submit_policy', arguments: prototypeAnswer() } }], { whenExhausted: 'repeat-last' });
    const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl }, skills: builtSkills(), objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test' } }] });
    local.apply({ apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'GPTPolicy', metadata: { name: 'deny-prod' }, spec: { description: INCIDENT_INTENT } });
    local.settle();
    // A violation to summarize, and an approval to apply.
    local.cluster.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'test', labels: { env: 'prod' } } }, { username: 'alice' });
    const gp = local.get<KubeObject & { status: { rollout: { specHash: string } } }>('gptpolicy.dev/v1alpha1', 'GPTPolicy', 'deny-prod')!;
    local.cluster.create({ apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'PolicyApproval', metadata: { name: 'deny-prod.deny' }, spec: { gptPolicy: 'deny-prod', stage: 'Deny', specHash: gp.status.rollout.specHash } }, { username: 'alice' });
    local.settle();

    const written = local.get<KubeObject>('gptpolicy.dev/v1alpha1', 'GPTPolicy', 'deny-prod')!;
    expect(Object.keys(written.status as object)).toEqual(expect.arrayContaining(['rollout', 'impact', 'violations', 'skills', 'attempts', 'plan', 'answer', 'usage', 'generation', 'approved']));
    expect(undeclared(written.status, statusSchema('GPTPolicy'), 'status')).toEqual([]);
    const approval = local.get<KubeObject>('gptpolicy.dev/v1alpha1', 'PolicyApproval', 'deny-prod.deny')!;
    expect(undeclared(approval.status, statusSchema('PolicyApproval'), 'status')).toEqual([]);
    for (const skill of local.cluster.list('gptpolicy.dev/v1alpha1', 'PolicySkill')) {
      expect(undeclared(skill.status, statusSchema('PolicySkill'), 'status')).toEqual([]);
    }
  });
});
