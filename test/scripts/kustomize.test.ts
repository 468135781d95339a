import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import { InMemoryCluster, namespace } from '../../tools/runtime/apiserver/index.ts';
import { installJsPolicy } from '../../tools/runtime/jspolicy/index.ts';
import { BOOKKEEPER_POLICY, CONTROLLER_POLICY, readYamlObjects } from '../../tools/local/local-jspolicy.ts';
import { LocalInstall } from '../../tools/local/local-install.ts';
import { repoFile } from '../../tools/local/paths.ts';

// The real kubectl (kustomize v5, as on every machine here and in CI) renders the package npm run
// build wrote; nothing here re-implements kustomize.
const MANIFESTS = repoFile('manifests');
const dir = mkdtempSync(join(tmpdir(), 'gptpolicy-kustomize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kustomize(path: string): KubeObject[] {
  const out = execFileSync('kubectl', ['kustomize', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(out).map((d) => d.toJS() as KubeObject);
}

const key = (o: KubeObject): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const byKey = (objects: KubeObject[]): Map<string, KubeObject> => new Map(objects.map((o) => [key(o), o]));
const built = (): KubeObject[] => readYamlObjects(join(MANIFESTS, 'gptpolicy.yaml'));

function overlay(name: string, jspolicyNamespace: string): string {
  const path = join(dir, name);
  execFileSync('mkdir', ['-p', path]);
  writeFileSync(
    join(path, 'kustomization.yaml'),
    [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      // kustomize takes relative paths only, as an overlay in a user's repository would write them.
      `resources: [${JSON.stringify(relative(path, MANIFESTS))}]`,
      'configMapGenerator:',
      '  - name: gptpolicy-settings',
      `    literals: [jspolicyNamespace=${jspolicyNamespace}]`,
      '    options: {disableNameSuffixHash: true, annotations: {config.kubernetes.io/local-config: "true"}}',
      `components: [${JSON.stringify(relative(path, join(MANIFESTS, 'jspolicy-namespace')))}]`,
      '',
    ].join('\n'),
  );
  return path;
}

/** Creates every object in an API server with jsPolicy's and our CRDs: schema, names, references. */
function validate(objects: KubeObject[], jspolicyNamespace: string): string[] {
  const cluster = new InMemoryCluster({ objects: [namespace(jspolicyNamespace)] });
  installJsPolicy(cluster, {});
  const problems: string[] = [];
  const ordered = [...objects.filter((o) => o.kind === 'CustomResourceDefinition'), ...objects.filter((o) => o.kind !== 'CustomResourceDefinition')];
  for (const object of ordered) {
    const result = cluster.create(object);
    if (!result.ok) problems.push(`${key(object)}: ${result.message}`);
  }
  return problems;
}

describe('the kustomize package (kubectl kustomize)', () => {
  it('renders the same objects as the built manifests for jsPolicy in namespace jspolicy', () => {
    const rendered = byKey(kustomize(MANIFESTS));
    const expected = byKey(built());
    expect([...rendered.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [k, object] of expected) expect(rendered.get(k), k).toEqual(object);
  }, 60_000);

  it('moves everything of ours in jsPolicy\'s namespace to another with one setting, and nothing else', () => {
    const objects = kustomize(overlay('team', 'policy-system'));
    const before = built();
    expect(objects).toHaveLength(before.length);
    expect(objects.some((o) => o.metadata.name === 'gptpolicy-settings')).toBe(false);
    const text = JSON.stringify(objects);
    expect(text).not.toContain('"namespace":"jspolicy"');
    const moved = objects.filter((o) => o.metadata.namespace !== undefined);
    expect(moved.map(key).sort()).toEqual(before.filter((o) => o.metadata.namespace !== undefined).map((o) => key({ ...o, metadata: { ...o.metadata, namespace: 'policy-system' } })).sort());
    for (const o of objects.filter((x) => x.kind === 'JsPolicy' || x.kind === 'CustomResourceDefinition' || x.kind.startsWith('Cluster'))) expect(o.metadata.namespace, key(o)).toBeUndefined();
    const subjects = objects.flatMap((o) => ((o as { subjects?: Array<{ namespace?: string }> }).subjects ?? []).map((s) => s.namespace));
    expect(subjects.length).toBeGreaterThan(0);
    expect(new Set(subjects)).toEqual(new Set(['policy-system']));
    expect(validate(objects, 'policy-system')).toEqual([]);
  }, 60_000);

  it('the default rendering is valid too', () => {
    expect(validate(kustomize(MANIFESTS), 'jspolicy')).toEqual([]);
  }, 60_000);

  it('leaves the install payload as built: its sha256 is in the bootstrap\'s code', () => {
    const payload = (objects: KubeObject[]) => objects.filter((o) => o.metadata.labels?.['gptpolicy.dev/install'] === 'payload').map((o) => [o.metadata.name, o.data]);
    expect(payload(built()).length).toBeGreaterThan(0);
    expect(payload(kustomize(overlay('payload', 'policy-system')))).toEqual(payload(built()));
  }, 60_000);

  it('in another namespace, the bootstrap finds the payload there and installs the controllers', () => {
    const local = new LocalInstall({ namespace: 'policy-system', epochMs: Date.parse('2026-01-01T00:00:00Z') });
    for (const object of kustomize(overlay('installed', 'policy-system'))) local.apply(object);
    local.settle();
    expect(local.running()).toEqual([BOOKKEEPER_POLICY, CONTROLLER_POLICY, 'gptpolicy-bootstrap.gptpolicy.dev'].sort());
    const ready = (name: string) => (local.cluster.get('policy.jspolicy.com/v1beta1', 'JsPolicy', undefined, name) as JsPolicy).status?.conditions?.find((c) => c.type === 'ControllerReady')?.status;
    expect([ready(CONTROLLER_POLICY), ready(BOOKKEEPER_POLICY)]).toEqual(['True', 'True']);
  }, 240_000);
});
