import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Works from the TypeScript sources (tools/local/) and from the bundled CLI (dist/cli.mjs):
// walk up to the folder holding our package.json.
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'manifests'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the gptpolicy package root (no package.json with manifests/ above this file)');
    dir = parent;
  }
  return dir;
}

let root: string | undefined;

/** A path inside the gptpolicy package. */
export function repoFile(relative: string): string {
  root ??= findRoot();
  return join(root, relative);
}
