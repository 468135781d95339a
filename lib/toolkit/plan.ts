import type { Plan } from '../lint/plan.ts';
import type { PolicyPlan } from '../model/answer.ts';

/** The model's plan as the linter's intent rules read it. */
export function planForLint(plan: PolicyPlan): Plan {
  return {
    resources: plan.resources.map((r) => ({ group: r.group, resource: r.resource })),
    operations: plan.operations,
    namespaces: plan.namespaces,
    denies: plan.denies,
    allows: plan.allows,
  };
}
