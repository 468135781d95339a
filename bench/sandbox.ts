// What checking an answer costs in the controller: the toolkit evaluated in a fresh context (as a
// run that checks does: read from its ConfigMap, then indirect eval), then the answer's own test
// cases run in the sandbox — the first time with ses's lockdown, then warm.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import vm from 'node:vm';
import type { JsPolicy } from '../lib/k8s/types.ts';
import type { Toolkit } from '../lib/toolkit/api.ts';
import { repoFile } from '../tools/local/paths.ts';
import { REMOVE_NEWER_BUILTINS } from '../tools/runtime/vm/v8-96.ts';
import { denyProdAnswer } from '../test/fixtures/answers.ts';
import { median } from './measure.ts';
import { figure, type Section } from './report.ts';

export function benchSandbox(section: Section, options: { runs: number }): void {
  const source = readFileSync(repoFile('dist/policies/toolkit.js'), 'utf8');
  const answer = denyProdAnswer();
  const policy = { apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicy', metadata: { name: 'p.gptpolicy.dev' }, spec: { ...answer.policy, objectSelector: undefined } } as unknown as JsPolicy;
  const samples = { load: [] as number[], first: [] as number[], warm: [] as number[] };
  let failures = 0;
  for (let i = 0; i < Math.max(5, Math.floor(options.runs / 20)); i++) {
    const context = vm.createContext({});
    vm.runInContext(REMOVE_NEWER_BUILTINS, context);
    let t = performance.now();
    const toolkit = vm.runInContext(`${source}\n;__gptpolicyToolkit`, context) as Toolkit;
    samples.load.push(performance.now() - t);
    const checks = toolkit.checks([]);
    t = performance.now();
    failures += checks.runCases(policy, answer).length;
    samples.first.push(performance.now() - t);
    t = performance.now();
    failures += checks.runCases(policy, answer).length;
    samples.warm.push(performance.now() - t);
  }
  const failure = failures > 0 ? `${failures} test cases failed where all should pass` : undefined;
  section.figures.push(
    figure(`evaluate the toolkit (parse ${Math.round(source.length / 1024)} KiB), median`, 'ms', median(samples.load), null, { note: 'once per run that checks, previews or verifies' }),
    figure("first check: ses lockdown + the answer's 2 test cases, median", 'ms', median(samples.first), null, failure ? { failure } : {}),
    figure('each further check of 2 cases, median', 'ms', median(samples.warm), null),
  );
}
