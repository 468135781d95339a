// The bench task set: one directory per task, bench-tasks/<id>/task.yaml (+ reference.json).
//
//   intent: Deny pods with the label env=prod in the test namespace.   # what the GPTPolicy says
//   tags: [validating, core, namespaced, single-resource]               # see TAGS
//   expectedSkills: []             # skill names retrieval should find (recall@k); may be empty
//   cluster: []                    # objects the cluster holds: CRDs, Namespaces with labels, objects
//                                  #   the policy reads with get/list
//   cases:                         # held back: the model never sees them. PolicyTest cases
//     - name: prod pod in test is denied        #   (tools/runtime/policytest/format.ts), with one
//       request: {operation: CREATE, object: {...}}   #   extension: expect.result may be a list of
//       expect: {result: deny}                  #   acceptable verdicts, e.g. [allow, unmatched] for
//                                               #   "let through, whether the webhook sees it or not"
//
// reference.json is a model answer (lib/model/answer.ts) that passes the controller's checks and
// every held-back case: the scripted model's "right" answer, and the proof the cases are satisfiable.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../lib/k8s/types.ts';
import type { ModelAnswer } from '../../lib/model/answer.ts';
import { checkCases, checkKubeObject, PolicyTestError, RESULTS, type CaseVerdict, type PolicyTestCase } from '../runtime/policytest/format.ts';

export const TAGS = [
  'validating',
  'mutating',
  'core',
  'crd',
  'namespaced',
  'cluster',
  'single-resource',
  'multi-resource',
  'reads-state',
  'delete',
] as const;

/** A held-back case: a PolicyTest case whose verdict may be any of `accept`. */
export interface BenchCase extends PolicyTestCase {
  /** Verdicts that pass; expect.result is the first. */
  accept: CaseVerdict[];
}

export interface BenchTask {
  id: string;
  dir: string;
  intent: string;
  tags: string[];
  expectedSkills: string[];
  cluster: KubeObject[];
  cases: BenchCase[];
  /** The scripted right answer, when the task has one. */
  reference?: ModelAnswer;
}

export class TaskError extends Error {
  constructor(
    readonly task: string,
    message: string,
  ) {
    super(`${task}: ${message}`);
    this.name = 'TaskError';
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Validates one task document (the parsed task.yaml). */
export function checkTask(id: string, doc: unknown, reference?: unknown): Omit<BenchTask, 'dir'> {
  if (!/^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/.test(id)) throw new TaskError(id, 'a task id (its directory) must be a lower-case DNS label of at most 52 characters: it names the GPTPolicy');
  if (!isMap(doc)) throw new TaskError(id, 'task.yaml must be a mapping with intent, tags and cases');
  const known = new Set(['intent', 'tags', 'expectedSkills', 'cluster', 'cases']);
  for (const key of Object.keys(doc)) if (!known.has(key)) throw new TaskError(id, `unknown field ${key}; a task takes ${[...known].join(', ')}`);
  if (typeof doc.intent !== 'string' || doc.intent.trim() === '') throw new TaskError(id, 'intent must be a non-empty string');
  if (!strings(doc.tags)) throw new TaskError(id, 'tags must be a list of strings');
  const unknownTag = doc.tags.find((t) => !(TAGS as readonly string[]).includes(t));
  if (unknownTag) throw new TaskError(id, `unknown tag ${unknownTag}; tags are ${TAGS.join(', ')}`);
  const expectedSkills = doc.expectedSkills ?? [];
  if (!strings(expectedSkills)) throw new TaskError(id, 'expectedSkills must be a list of skill names');
  const cluster = doc.cluster ?? [];
  if (!Array.isArray(cluster)) throw new TaskError(id, 'cluster must be a list of Kubernetes objects');
  let objects: KubeObject[];
  let cases: BenchCase[];
  try {
    objects = cluster.map((o, i) => checkKubeObject(o, `cluster[${i}]`));
    // expect.result lists are ours: check the cases with their first entry, keep the list.
    const raw = Array.isArray(doc.cases) ? doc.cases : doc.cases === undefined ? [] : doc.cases;
    const accepts: CaseVerdict[][] = [];
    const plain = Array.isArray(raw)
      ? raw.map((c: unknown, i: number) => {
          if (!isMap(c) || !isMap(c.expect)) return c;
          const result = c.expect.result;
          const list = Array.isArray(result) ? result : [result];
          if (list.length === 0 || list.some((r) => !(RESULTS as readonly unknown[]).includes(r))) {
            throw new PolicyTestError(`cases[${i}].expect.result`, `must be one of ${RESULTS.join(', ')}, or a list of them`);
          }
          accepts[i] = list as CaseVerdict[];
          return { ...c, expect: { ...c.expect, result: list[0] } };
        })
      : raw;
    cases = checkCases(plain).map((c, i) => ({ ...c, accept: accepts[i] ?? [c.expect.result] }));
  } catch (error) {
    throw new TaskError(id, (error as Error).message);
  }
  const task: Omit<BenchTask, 'dir'> = { id, intent: doc.intent.trim(), tags: doc.tags, expectedSkills, cluster: objects, cases };
  if (reference !== undefined) {
    if (!isMap(reference) || !isMap(reference.plan) || !isMap(reference.policy) || !Array.isArray(reference.tests)) {
      throw new TaskError(id, 'reference.json must be a model answer: {plan, policy, tests} (lib/model/answer.ts)');
    }
    task.reference = reference as unknown as ModelAnswer;
  }
  return task;
}

/** Loads every task under `dir` (each subdirectory holding a task.yaml), sorted by id. */
export function loadTasks(dir: string, only?: readonly string[]): BenchTask[] {
  if (!existsSync(dir)) throw new Error(`${dir}: no such directory (--tasks DIR names the task set, e.g. bench-tasks/)`);
  const ids = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'task.yaml')))
    .map((e) => e.name)
    .sort();
  const wanted = only && only.length > 0 ? only : undefined;
  if (wanted) {
    const missing = wanted.filter((id) => !ids.includes(id));
    if (missing.length > 0) throw new Error(`no task ${missing.join(', ')} in ${dir}`);
  }
  return ids
    .filter((id) => !wanted || wanted.includes(id))
    .map((id) => {
      const taskDir = join(dir, id);
      let doc: unknown;
      try {
        doc = parse(readFileSync(join(taskDir, 'task.yaml'), 'utf8'));
      } catch (error) {
        throw new TaskError(id, `task.yaml: ${(error as Error).message}`);
      }
      const refFile = join(taskDir, 'reference.json');
      let reference: unknown;
      if (existsSync(refFile)) {
        try {
          reference = JSON.parse(readFileSync(refFile, 'utf8'));
        } catch (error) {
          throw new TaskError(id, `reference.json: ${(error as Error).message}`);
        }
      }
      return { ...checkTask(id, doc, reference), dir: taskDir };
    });
}
