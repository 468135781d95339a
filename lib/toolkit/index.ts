// Entry of the generation toolkit bundle (see api.ts for why it is separate). Its exports are the
// Toolkit interface: build.mjs bundles it with globalName __gptpolicyToolkit.
import type { ServedResource } from '../k8s/builtin-resources.ts';
import { formatFindingsForModel, lintPolicy } from '../lint/index.ts';
import type { Toolkit } from './api.ts';
import { planForLint } from './plan.ts';
import { runCases } from './run-cases.ts';

export { preview } from './preview.ts';

export const checks: Toolkit['checks'] = (resources: readonly ServedResource[]) => ({
  lint: (policy, answer) => lintPolicy(policy, { profile: 'generated', resources, plan: planForLint(answer.plan) }),
  runCases: (policy, answer) => runCases(policy, answer.tests, answer.plan.mutates),
  formatFindings: formatFindingsForModel,
});
