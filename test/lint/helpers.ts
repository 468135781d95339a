import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const corpusDir = path.join(repoRoot, 'test/lint/corpus');
export const realPoliciesDir = path.resolve(repoRoot, '../shared/real-policies');

export function yamlDocs(file: string): unknown[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
}

export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const rec = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) rec(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  rec(dir);
  return out.sort();
}
