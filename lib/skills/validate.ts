// Shape checks of a PolicySkill object from an untrusted source (import, the cluster), mirroring the
// CRD's schema and CEL rules, so the CLI and the controller refuse the same things the API server does.
import { skillCodeHash } from './learn.ts';
import { FUNCTION_NAME, skillObjectName } from './names.ts';
import { SKILL_API_VERSION, SKILL_KIND, type PolicySkill } from './types.ts';

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Problems of a would-be PolicySkill ([] = valid). */
export function skillProblems(value: unknown): string[] {
  const p: string[] = [];
  if (!isMap(value)) return ['not an object'];
  if (value.apiVersion !== SKILL_API_VERSION || value.kind !== SKILL_KIND) p.push(`must be apiVersion ${SKILL_API_VERSION}, kind ${SKILL_KIND}`);
  const meta = isMap(value.metadata) ? value.metadata : {};
  const spec = value.spec;
  if (!isMap(spec)) return [...p, 'spec is required'];
  const fn = spec.function;
  if (typeof fn !== 'string' || !FUNCTION_NAME.test(fn) || fn.length > 63) p.push('spec.function must be a lowerCamelCase identifier of letters and digits (at most 63)');
  else if (meta.name !== skillObjectName(fn)) p.push(`metadata.name must be ${skillObjectName(fn)} (the kebab-case of spec.function), not ${JSON.stringify(meta.name)}`);
  if (spec.kind !== 'helper' && spec.kind !== 'example') p.push('spec.kind must be helper or example');
  if (typeof spec.description !== 'string' || spec.description.trim() === '' || spec.description.includes('\n')) p.push('spec.description must be one non-empty line');
  if (typeof spec.code !== 'string' || spec.code.trim() === '') p.push('spec.code is required');
  if (spec.calls !== undefined && (!isStrings(spec.calls) || !spec.calls.every((c) => FUNCTION_NAME.test(c)))) p.push('spec.calls must be a list of function names');
  if (spec.reads !== undefined && typeof spec.reads !== 'boolean') p.push('spec.reads must be true or false');
  if (spec.kind === 'helper') {
    if (!Array.isArray(spec.tests) || spec.tests.length < 2) p.push('a helper needs at least two spec.tests');
    else
      spec.tests.forEach((t, i) => {
        if (!isMap(t) || typeof t.name !== 'string' || typeof t.call !== 'string' || !isMap(t.request) || typeof t.request.operation !== 'string' || !isMap(t.expect)) {
          p.push(`spec.tests[${i}] must be {name, call, request: {operation, …}, expect: {result}}`);
        } else if (['allow', 'deny', 'error', 'unmatched'].indexOf(String(t.expect.result)) < 0) p.push(`spec.tests[${i}].expect.result must be allow, deny, error or unmatched`);
      });
    if (typeof spec.code === 'string' && typeof fn === 'string' && !new RegExp(`^\\s*function\\s+${fn}\\s*\\(`).test(spec.code)) {
      p.push(`spec.code must be one function declaration named ${fn}`);
    }
  }
  if (spec.kind === 'example') {
    const ex = spec.example;
    if (!isMap(ex) || typeof ex.intent !== 'string' || !isMap(ex.plan) || !isMap(ex.policy) || !Array.isArray(ex.tests)) p.push('spec.example must be {intent, plan, policy, tests}');
    else if (typeof ex.policy.javascript !== 'string') p.push('spec.example.policy.javascript is required');
  }
  const prov = spec.provenance;
  if (!isMap(prov) || (prov.source !== 'hand-written' && prov.source !== 'learned') || typeof prov.codeHash !== 'string') {
    p.push('spec.provenance must be {source: hand-written|learned, codeHash, gptPolicy?, approvedBy?}');
  } else if (typeof spec.code === 'string' && prov.codeHash !== skillCodeHash(spec.code)) {
    p.push('spec.provenance.codeHash is not the sha256 of spec.code');
  }
  return p;
}

/** The object as a PolicySkill when valid. */
export function asSkill(value: unknown): { skill: PolicySkill; problems: [] } | { skill?: undefined; problems: string[] } {
  const problems = skillProblems(value);
  return problems.length === 0 ? { skill: value as PolicySkill, problems: [] } : { problems };
}
