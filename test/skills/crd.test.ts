// The PolicySkill CRD: served by the local API server, accepts the starter skills, and its schema is
// structural (every property typed) with the printer columns kubectl shows.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { InMemoryCluster } from '../../tools/runtime/index.ts';
import { buildStarterSkills } from '../../tools/skills/build.ts';
import { repoRoot } from './library.ts';

const crd = parse(readFileSync(path.join(repoRoot, 'k8s/policyskill-crd.yaml'), 'utf8'));

test('the local API server serves PolicySkills and stores the built starter skills', async () => {
  const cluster = new InMemoryCluster({ objects: [crd] });
  const skills = await buildStarterSkills(repoRoot, '0.0.0-test');
  for (const skill of skills) expect(cluster.create(skill)).toMatchObject({ ok: true });
  expect(cluster.list('gptpolicy.dev/v1alpha1', 'PolicySkill')).toHaveLength(skills.length);
  expect(cluster.resources().find((r) => r.kind === 'PolicySkill')).toMatchObject({ resource: 'policyskills', namespaced: false });
});

test('the schema is structural and documented', () => {
  const version = crd.spec.versions[0];
  expect(crd.spec).toMatchObject({ scope: 'Cluster', names: { kind: 'PolicySkill', shortNames: ['gpts'] } });
  expect(version.additionalPrinterColumns.map((c: { name: string }) => c.name)).toEqual(['Function', 'Kind', 'Description', 'Verified', 'Uses', 'Age']);
  const untyped: string[] = [];
  const undocumented: string[] = [];
  const walk = (schema: Record<string, unknown>, at: string, documented: boolean): void => {
    if (!schema.type && !schema['x-kubernetes-preserve-unknown-fields']) untyped.push(at);
    const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    for (const [key, child] of Object.entries(props)) {
      if (documented && !child.description && !['apiVersion', 'kind', 'metadata', 'name', 'spec', 'status', 'observedGeneration'].includes(key) && !at.includes('example.policy') && !at.includes('tests')) undocumented.push(`${at}.${key}`);
      walk(child, `${at}.${key}`, documented);
    }
    if (schema.items) walk(schema.items as Record<string, unknown>, `${at}[]`, false);
  };
  walk(version.schema.openAPIV3Schema, '', true);
  expect(untyped).toEqual([]);
  expect(undocumented).toEqual([]);
});
