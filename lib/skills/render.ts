// The text of skills as the model sees them: helpers as signature and description, examples as
// their compact full text. renderExample is also an example skill's spec.code.
import type { SkillExample, PolicySkill } from './types.ts';

/** `name(a, b)` from a function declaration's source, for skills without a typed signature. */
export function signatureOf(skill: PolicySkill): string {
  if (skill.spec.signature) return skill.spec.signature;
  const m = /function\s+([A-Za-z_$][\w$]*)\s*\(([^)]*)\)/.exec(skill.spec.code);
  return m ? `${m[1]}(${(m[2] ?? '').replace(/\s+/g, ' ').trim()})` : `${skill.spec.function}(…)`;
}

function compactRequest(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json));
  } catch {
    return json;
  }
}

/** An example as compact text: intent, plan, policy (header and code), tests (the first with its request). */
export function renderExample(example: SkillExample): string {
  const { plan, policy, tests } = example;
  const list = (xs: readonly string[]): string => (xs.length ? xs.map((x) => JSON.stringify(x)).join(',') : '—');
  const lines = [
    `intent: ${example.intent}`,
    `plan: ${plan.summary}${plan.denies ? ` | denies: ${plan.denies}` : ''}${plan.allows ? ` | allows: ${plan.allows}` : ''}${plan.mutates ? ` | mutates: ${plan.mutates}` : ''}`,
    `  resources: ${plan.resources.map((r) => `${r.group || 'core'}/${r.version}/${r.resource}`).join(', ')}; operations: ${plan.operations.join(',')}; namespaces: ${list(plan.namespaces)}`,
    `policy: ${policy.type} operations=[${policy.operations.join(',')}] resources=[${policy.resources.join(',')}] apiGroups=[${list(policy.apiGroups)}] apiVersions=[${policy.apiVersions.join(',')}] scope=${policy.scope}${policy.objectSelector ? ` objectSelector=${policy.objectSelector}` : ''}`,
    'javascript:',
    policy.javascript.trim(),
    'tests:',
    ...tests.map((t, i) => `- ${t.name}: ${t.expect}${t.detail ? ` (${t.detail})` : ''}${i === 0 ? `\n  request: ${compactRequest(t.request)}` : ''}`),
  ];
  return lines.join('\n');
}

/** The prompt section for retrieved skills (empty string for none). */
export function renderForPrompt(skills: readonly PolicySkill[]): string {
  const helpers = skills.filter((s) => s.spec.kind === 'helper');
  const examples = skills.filter((s) => s.spec.kind === 'example');
  const parts: string[] = [];
  if (helpers.length > 0) {
    parts.push(
      'Library helpers: call them by name in spec.javascript and do not define them; the controller adds their code to the policy.\n' +
        helpers.map((s) => `- ${signatureOf(s)} — ${s.spec.description}`).join('\n'),
    );
  }
  for (const s of examples) parts.push(`Approved example ${s.spec.function}:\n${s.spec.code.trim()}`);
  return parts.join('\n\n');
}
