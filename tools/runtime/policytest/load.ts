// Reading PolicyTest files and the JsPolicy manifests they point at.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { JsPolicy, KubeObject } from '../../../lib/k8s/types.ts';
import { checkDocument, checkKubeObject, checkPolicy, PolicyTestError } from './format.ts';
import type { PolicyTestDocument } from './format.ts';

/** Every non-empty YAML (or JSON) document of a manifest file. */
export function readManifests(file: string): unknown[] {
  const text = readFileSync(file, 'utf8');
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  const values: unknown[] = [];
  for (const document of list) {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message ?? 'invalid YAML'}`);
    const value = document.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

/** A JsPolicy manifest file: its one JsPolicy plus any other documents (JsPolicyBundle, Namespaces, …). */
export function loadPolicyManifest(file: string, field = 'policy'): { policy: JsPolicy; others: KubeObject[] } {
  const documents = readManifests(file);
  const objects = documents.map((doc, index) => checkKubeObject(doc, `${field} (${path.basename(file)} document ${index + 1})`));
  const policies = objects.filter((o) => o.kind === 'JsPolicy');
  if (policies.length !== 1) {
    throw new PolicyTestError(field, `${file} holds ${policies.length} JsPolicy documents; point \`${field}\` at a file with exactly one`);
  }
  return { policy: checkPolicy(policies[0], field), others: objects.filter((o) => o.kind !== 'JsPolicy') };
}

/**
 * Reads and validates a PolicyTest (YAML or JSON). Throws PolicyTestError naming the field for mistakes
 * in the file, and an Error for unreadable files.
 */
export function loadPolicyTest(file: string): PolicyTestDocument {
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not valid YAML/JSON: ${(error as Error).message}`);
  }
  const checked = checkDocument(raw);
  const policyField = (raw as Record<string, unknown>).policy;
  let policy: JsPolicy;
  let others: KubeObject[] = [];
  if (typeof policyField === 'string' && policyField !== '') {
    const policyFile = path.resolve(path.dirname(file), policyField);
    if (!existsSync(policyFile)) {
      throw new PolicyTestError('policy', `file ${policyField} not found (looked at ${policyFile}); give the JsPolicy manifest's path relative to this PolicyTest file`);
    }
    ({ policy, others } = loadPolicyManifest(policyFile));
  } else if (policyField && typeof policyField === 'object') {
    policy = checkPolicy(policyField, 'policy');
  } else {
    throw new PolicyTestError('policy', 'is missing — give the path of the JsPolicy manifest under test, relative to this file');
  }
  const document: PolicyTestDocument = { policy, cluster: [...others, ...checked.cluster], cases: checked.cases };
  if (checked.env) document.env = checked.env;
  if (checked.files) document.files = checked.files;
  if (checked.nowMs !== undefined) document.nowMs = checked.nowMs;
  return document;
}
