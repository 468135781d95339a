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

/**
 * Whether the plan's resources and operations say what the policy's header says (the usual case): then
 * one line shows both, resources grouped by group/version, instead of two lines repeating each other.
 */
function planMatchesPolicy({ plan, policy }: SkillExample): boolean {
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  const uniq = (xs: string[]): string[] => [...new Set(xs)];
  return (
    plan.resources.length > 0 &&
    same(plan.operations, policy.operations) &&
    same(plan.resources.map((r) => r.resource), policy.resources) &&
    same(uniq(plan.resources.map((r) => r.group)).sort(), uniq([...policy.apiGroups]).sort()) &&
    same(uniq(plan.resources.map((r) => r.version)).sort(), uniq([...policy.apiVersions]).sort())
  );
}

/**
 * An example as compact text: intent, plan, policy (header and code), tests (the first with its request).
 * Deterministic (it is an example skill's spec.code, whose hash identifies learned skills).
 */
export function renderExample(example: SkillExample): string {
  const { plan, policy, tests } = example;
  const list = (xs: readonly string[]): string => (xs.length ? xs.map((x) => JSON.stringify(x)).join(',') : '—');
  const merged = planMatchesPolicy(example);
  const header = `policy: ${policy.type} operations=[${policy.operations.join(',')}]`;
  const tail = ` scope=${policy.scope}${policy.objectSelector ? ` objectSelector=${policy.objectSelector}` : ''}`;
  const byGroup = (): string => {
    const groups = new Map<string, string[]>();
    for (const r of plan.resources) {
      const key = `${r.group || 'core'}/${r.version}`;
      groups.set(key, [...(groups.get(key) ?? []), r.resource]);
    }
    return [...groups].map(([gv, rs]) => `${gv} ${rs.join(',')}`).join('; ');
  };
  const lines = [
    `intent: ${example.intent}`,
    `plan: ${plan.summary}${plan.denies ? ` | denies: ${plan.denies}` : ''}${plan.allows ? ` | allows: ${plan.allows}` : ''}${plan.mutates ? ` | mutates: ${plan.mutates}` : ''}`,
    ...(merged
      ? [
          ...(plan.namespaces.length ? [`  namespaces: ${list(plan.namespaces)}`] : []),
          `${header} resources (group/version, the plan's too)=[${byGroup()}]${tail}`,
        ]
      : [
          `  resources: ${plan.resources.map((r) => `${r.group || 'core'}/${r.version}/${r.resource}`).join(', ')}; operations: ${plan.operations.join(',')}; namespaces: ${list(plan.namespaces)}`,
          `${header} resources=[${policy.resources.join(',')}] apiGroups=[${list(policy.apiGroups)}] apiVersions=[${policy.apiVersions.join(',')}]${tail}`,
        ]),
    'javascript:',
    policy.javascript.trim(),
    'tests:',
    ...tests.map((t, i) => `- ${t.name}: ${t.expect}${t.detail ? ` (${t.detail})` : ''}${i === 0 ? `\n  request: ${compactRequest(t.request)}` : ''}`),
  ];
  return lines.join('\n');
}

/**
 * The prompt section for retrieved skills (empty string for none). A helper that only other helpers in
 * the list call (none of the examples, whose code the model reads) is named, not described: the model
 * never calls it, but must not declare a function of that name (the script's own would replace it).
 */
export function renderForPrompt(skills: readonly PolicySkill[]): string {
  const helpers = skills.filter((s) => s.spec.kind === 'helper');
  const examples = skills.filter((s) => s.spec.kind === 'example');
  const calledBy = (kind: 'helper' | 'example', name: string): boolean => skills.some((s) => s.spec.kind === kind && s.spec.function !== name && (s.spec.calls ?? []).includes(name));
  const internal = (s: PolicySkill): boolean => calledBy('helper', s.spec.function) && !calledBy('example', s.spec.function);
  const described = helpers.filter((s) => !internal(s));
  const named = helpers.filter(internal);
  const parts: string[] = [];
  if (helpers.length > 0) {
    parts.push(
      [
        'Library helpers (call them by name, never define them: the controller adds their code):',
        ...described.map((s) => `- ${signatureOf(s)} — ${s.spec.description}`),
        ...(named.length ? [`Also library helpers, used by those (never define them): ${named.map((s) => s.spec.function).join(', ')}`] : []),
      ].join('\n'),
    );
  }
  for (const s of examples) parts.push(`Approved example ${s.spec.function}:\n${s.spec.code.trim()}`);
  return parts.join('\n\n');
}
