// The release pipeline's files, checked where no GitHub runner is at hand: every workflow against
// GitHub's workflow schema (action-validator, a WASM build of github.com/mpalmer/action-validator,
// which also checks expressions' contexts and `needs`), plus what each workflow must do, and the
// end-to-end script's syntax and step names.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoFile } from '../../tools/local/paths.ts';

const dir = repoFile('.github/workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));
const text = (file: string): string => readFileSync(`${dir}/${file}`, 'utf8');
const load = (file: string): any => parse(text(file));
const runs = (workflow: any, job: string): string => (workflow.jobs[job].steps as any[]).map((s) => `${s.uses ?? ''}\n${s.run ?? ''}`).join('\n');

describe('workflow files', () => {
  it('are ci, e2e and release', { timeout: 5_000 }, () => {
    expect(files.sort()).toEqual(['ci.yml', 'e2e.yml', 'release.yml']);
  });

  it.each(files)('%s is a valid GitHub Actions workflow', { timeout: 10_000 }, (file) => {
    const result = validateWorkflow(text(file));
    expect(result.errors).toEqual([]);
  });

  it('the validator does catch mistakes', { timeout: 10_000 }, () => {
    const broken = text('ci.yml').replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
    expect(validateWorkflow('on: pushh\njobs: {}\n').errors.length).toBeGreaterThan(0);
  });
});

describe('ci.yml', () => {
  const ci = load('ci.yml');
  it('runs on push and pull request: npm ci, npm test (which verifies the skills), the pack check, the scripted bench', { timeout: 5_000 }, () => {
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    const steps = runs(ci, 'test');
    for (const command of ['npm ci', 'npm test', 'node scripts/check-pack.mjs', 'bench --tasks bench-tasks --scripted right --fail-under 1']) {
      expect(steps).toContain(command);
    }
    expect(steps.indexOf('npm ci')).toBeLessThan(steps.indexOf('npm test'));
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { test: string } };
    expect(pkg.scripts.test).toContain('skills test');
  });
});

describe('e2e.yml', () => {
  const e2e = load('e2e.yml');
  it('runs scripts/e2e-kind.sh all with kind, kubectl and helm installed, and can be called by the release', { timeout: 5_000 }, () => {
    expect(Object.keys(e2e.on)).toEqual(expect.arrayContaining(['pull_request', 'workflow_call']));
    const steps = runs(e2e, 'kind');
    expect(steps).toContain('helm/kind-action');
    expect(steps).toContain('azure/setup-helm');
    expect(steps).toContain('scripts/e2e-kind.sh all');
  });
});

describe('release.yml', () => {
  const release = load('release.yml');
  const steps = runs(release, 'release');
  it('runs on v* tags, after the tests and the end-to-end job', { timeout: 5_000 }, () => {
    expect(release.on).toEqual({ push: { tags: ['v*'] } });
    expect(release.jobs.release.needs).toEqual(['test', 'e2e']);
    expect(release.jobs.e2e.uses).toBe('./.github/workflows/e2e.yml');
    expect(runs(release, 'test')).toContain('npm test');
  });

  it('stamps the tag into package.json before building, and checks the stamp', { timeout: 5_000 }, () => {
    expect(steps.indexOf('npm version "$version" --no-git-tag-version')).toBeGreaterThan(-1);
    expect(steps.indexOf('npm version')).toBeLessThan(steps.indexOf('node build.mjs'));
    expect(steps).toContain('app.kubernetes.io/version: $VERSION');
    expect(steps).toContain('/* gptpolicy $VERSION gptpolicy-controller */');
  });

  it('attaches the manifests, combined and apart, with sha256sums.txt, and publishes with provenance', { timeout: 5_000 }, () => {
    expect(steps).toContain('files=(gptpolicy-crds.yaml gptpolicy-controller.yaml)');
    expect(steps).toContain('>> release/gptpolicy.yaml');
    expect(steps).toContain('sha256sum gptpolicy.yaml "${files[@]}" > sha256sums.txt');
    expect(steps).toContain('gh release create "$GITHUB_REF_NAME" "${assets[@]}"');
    expect(steps).toContain('npm publish --provenance');
    expect(release.jobs.release.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
    expect(release.permissions).toEqual({ contents: 'read' });
  });
});

describe('scripts/e2e-kind.sh', () => {
  const script = repoFile('scripts/e2e-kind.sh');
  it('is valid bash', { timeout: 5_000 }, () => {
    execFileSync('bash', ['-n', script]);
  });

  it('--help names every step, and every step named runs a function', { timeout: 5_000 }, () => {
    const help = execFileSync('bash', [script, '--help'], { encoding: 'utf8' });
    const source = readFileSync(script, 'utf8');
    const steps = ['check-tools', 'build', 'create-cluster', 'start-model', 'install-jspolicy', 'create-secret', 'install-gptpolicy', 'apply-intent', 'check-policy', 'approve', 'check-pods', 'logs', 'stop-model', 'delete-cluster', 'all'];
    for (const step of steps) {
      expect(help).toContain(`  ${step}`);
      const fn = step.replace(/-/g, '_');
      expect(source).toContain(`    ${step}) ${fn} ;;`);
      expect(source).toMatch(new RegExp(`^${fn}\\(\\) \\{`, 'm'));
    }
  });

  it('refuses an unknown step', { timeout: 5_000 }, () => {
    expect(() => execFileSync('bash', [script, 'no-such-step'], { stdio: 'pipe' })).toThrow();
  });
});
