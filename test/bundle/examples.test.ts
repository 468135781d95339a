// The shipped example is what the built controller really emits for it (no stale snapshot).
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import type { JsPolicy, KubeObject } from '../../lib/k8s/types.ts';
import { decodeBundle } from '../../lib/util/gzip.ts';
import { startFakeModel, type FakeModel } from '../../tools/fake-model/index.ts';
import { LocalJsPolicy, readYamlObjects } from '../../tools/local/local-jspolicy.ts';
import { appliedCode } from '../fixtures/bundle.ts';

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
});

it('examples/deny-prod/generated-policy.yaml matches what the controller generates for examples/deny-prod/gptpolicy.yaml', async () => {
  const script = JSON.parse(readFileSync(new URL('../fixtures/deny-prod.script.json', import.meta.url), 'utf8'));
  model = await startFakeModel(script);
  const local = new LocalJsPolicy({ apiKey: 'k', env: { OPENAI_BASE_URL: model.baseUrl } });
  const [gp] = readYamlObjects(new URL('../../examples/deny-prod/gptpolicy.yaml', import.meta.url).pathname);
  local.apply(gp!);
  local.settle();
  const documents = readYamlObjects(new URL('../../examples/deny-prod/generated-policy.yaml', import.meta.url).pathname);
  const example = documents.find((d) => d.kind === 'JsPolicy') as JsPolicy;
  const bundle = documents.find((d) => d.kind === 'JsPolicyBundle') as KubeObject & { spec: { bundle: string } };
  const generated = local.get<JsPolicy>('policy.jspolicy.com/v1beta1', 'JsPolicy', example.metadata.name ?? '');
  expect(generated?.spec).toEqual(example.spec);
  // Precompiled: the code is the bundle's.
  expect(appliedCode(local, example.metadata.name ?? '')).toBe(decodeBundle(bundle.spec.bundle));
});
