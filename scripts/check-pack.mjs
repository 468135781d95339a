#!/usr/bin/env node
// Checks what `npm publish` would ship: exactly the CLI, the manifests it runs (the controller bundle
// is inlined in gptpolicy-controller.yaml), README, LICENSE and package.json — nothing else — and
// that the unpacked tarball works on its own.
//
//   node scripts/check-pack.mjs            file list + smoke test of the packed CLI
//   node scripts/check-pack.mjs --no-smoke file list only
//
// Needs a build first (node build.mjs). Exit 1 with the differences when the content is wrong.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

// Every manifest the build writes ships (the CLI runs them: CRDs, controller, starter skills).
const manifests = readdirSync(join(root, 'manifests')).filter((f) => f.endsWith('.yaml')).map((f) => `manifests/${f}`);
const EXPECTED = ['LICENSE', 'README.md', 'dist/cli.mjs', ...manifests, 'package.json'].sort();
for (const needed of ['manifests/gptpolicy.yaml', 'manifests/gptpolicy-crds.yaml', 'manifests/gptpolicy-controller.yaml']) {
  if (!manifests.includes(needed)) {
    console.error(`check-pack: ${needed} is missing: run node build.mjs first`);
    process.exit(1);
  }
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const problems = [];

const pack = (args) => JSON.parse(execFileSync(npm, ['pack', '--json', '--ignore-scripts', ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));

const [dry] = pack(['--dry-run']);
const files = dry.files.map((f) => f.path).sort();
const missing = EXPECTED.filter((f) => !files.includes(f));
const extra = files.filter((f) => !EXPECTED.includes(f));
if (missing.length > 0) problems.push(`missing from the package: ${missing.join(', ')}${missing.some((f) => f.startsWith('dist/') || f.startsWith('manifests/')) ? ' (run node build.mjs first; package.json "files" must list them)' : ''}`);
if (extra.length > 0) problems.push(`${extra.length} files not meant to ship: ${extra.slice(0, 8).join(', ')}${extra.length > 8 ? ', …' : ''} (narrow package.json "files")`);

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (pkg.bin?.gptpolicy !== 'dist/cli.mjs') problems.push(`package.json bin.gptpolicy is ${JSON.stringify(pkg.bin?.gptpolicy)}, want "dist/cli.mjs"`);
if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) problems.push(`runtime dependencies ${Object.keys(pkg.dependencies).join(', ')}: the CLI is one bundle, nothing should be installed with it`);
const controller = readFileSync(join(root, 'manifests/gptpolicy-controller.yaml'), 'utf8');
if (!controller.includes(`app.kubernetes.io/version: ${pkg.version}`)) problems.push(`manifests/gptpolicy-controller.yaml is not stamped with version ${pkg.version}: rebuild`);
if (!controller.includes(`/* gptpolicy ${pkg.version} gptpolicy-controller */`)) problems.push(`the controller bundle's banner is not gptpolicy ${pkg.version}: rebuild`);

console.log(`${dry.filename}: ${files.length} files, ${(dry.size / 1024).toFixed(0)} KiB packed, ${(dry.unpackedSize / 1024).toFixed(0)} KiB unpacked`);
if (files.length <= EXPECTED.length + 5) for (const f of dry.files) console.log(`  ${String(f.size).padStart(9)}  ${f.path}`);

// Smoke test: the CLI from the unpacked tarball, outside the repository, finds its manifests.
if (problems.length === 0 && !process.argv.includes('--no-smoke')) {
  const dir = mkdtempSync(join(tmpdir(), 'gptpolicy-pack-'));
  try {
    const [packed] = pack(['--pack-destination', dir]);
    execFileSync('tar', ['-xzf', join(dir, packed.filename), '-C', dir]);
    const cli = join(dir, 'package', 'dist', 'cli.mjs');
    const run = (...args) => execFileSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const version = run('version').trim();
    if (version !== pkg.version) problems.push(`the packed CLI says version ${JSON.stringify(version)}, want ${pkg.version}`);
    if (!run('--help').includes('generate')) problems.push('the packed CLI does not list its commands');
    try {
      run('lint', join(dir, 'package', 'manifests', 'gptpolicy-controller.yaml'), '--profile', 'jspolicy');
    } catch (error) {
      if (error.status !== 1) problems.push(`the packed CLI could not lint its own manifest: ${error.stderr || error.message}`);
    }
    if (problems.length === 0) console.log(`smoke test: the packed CLI (${version}) runs from ${dir}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (problems.length > 0) {
  for (const p of problems) console.error(`check-pack: ${p}`);
  console.error(`check-pack: the package must hold exactly ${EXPECTED.join(', ')}`);
  process.exit(1);
}
console.log('check-pack: ok');
