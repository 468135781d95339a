// The release pipeline's files, checked where no GitHub runner is at hand: every workflow against
// GitHub's workflow schema (action-validator, a WASM build of github.com/mpalmer/action-validator),
// plus what each workflow must do: the end-to-end job's pins and their overrides among them. The
// end-to-end script itself is tested in test/scripts/e2e-kind.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const steps = e2e.jobs.kind.steps as any[];
  const step = (uses: string): any => {
    const found = steps.find((s) => typeof s.uses === 'string' && s.uses.startsWith(`${uses}@`));
    expect(found, `a step using ${uses}`).toBeDefined();
    return found;
  };
  const PINS = { JSPOLICY_VERSION: 'jspolicy-version', HELM_VERSION: 'helm-version', KIND_VERSION: 'kind-version', KIND_NODE_IMAGE: 'kind-node-image', KUBECTL_VERSION: 'kubectl-version' } as const;
  /** The workflow's pin for VAR: its env is `${{ inputs.INPUT || 'PIN' }}`. */
  const pin = (name: keyof typeof PINS): string => {
    const match = /^\$\{\{ inputs\.([a-z-]+) \|\| '([^']+)' \}\}$/.exec(String(e2e.env?.[name]));
    expect(match, `env.${name} is \${{ inputs.${PINS[name]} || '<pin>' }}`).not.toBeNull();
    expect(match![1]).toBe(PINS[name]);
    return match![2];
  };
  /** The script's own defaults, as it prints them with none of its settings in the environment. */
  const scriptDefaults = (): Record<string, string> => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of Object.keys(PINS)) delete env[name];
    delete env.JSPOLICY_IMAGE;
    const state = mkdtempSync(join(tmpdir(), 'e2e-config-'));
    const result = spawnSync('bash', [repoFile('scripts/e2e-kind.sh'), 'print-config'], { env: { ...env, STATE_DIR: state }, encoding: 'utf8', timeout: 10_000 });
    rmSync(state, { recursive: true, force: true });
    expect(result.status).toBe(0);
    return Object.fromEntries(result.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  };

  it('runs scripts/e2e-kind.sh all with kind, kubectl and helm installed, and can be called by the release', { timeout: 5_000 }, () => {
    expect(Object.keys(e2e.on)).toEqual(expect.arrayContaining(['pull_request', 'workflow_call', 'workflow_dispatch']));
    const commands = runs(e2e, 'kind');
    expect(commands).toContain('helm/kind-action');
    expect(commands).toContain('azure/setup-helm');
    expect(commands).toContain('scripts/e2e-kind.sh all');
    expect(commands.indexOf('npm ci')).toBeLessThan(commands.indexOf('scripts/e2e-kind.sh all'));
  });

  it('declares every pin as an input of workflow_call and of workflow_dispatch, empty meaning the pin', { timeout: 5_000 }, () => {
    for (const trigger of ['workflow_call', 'workflow_dispatch']) {
      const inputs = e2e.on[trigger].inputs;
      expect(Object.keys(inputs).sort()).toEqual(Object.values(PINS).sort());
      for (const input of Object.values(inputs) as any[]) {
        expect(input).toMatchObject({ type: 'string', required: false, default: '' });
      }
    }
    for (const name of Object.keys(PINS) as Array<keyof typeof PINS>) pin(name);
  });

  it('pins what the script pins: the same jsPolicy chart, kind and node image; a Helm of the script\'s major version', { timeout: 15_000 }, () => {
    const defaults = scriptDefaults();
    expect(pin('JSPOLICY_VERSION')).toBe(defaults.JSPOLICY_VERSION);
    expect(pin('KIND_VERSION')).toBe(defaults.KIND_VERSION);
    expect(pin('KIND_NODE_IMAGE')).toBe(defaults.KIND_NODE_IMAGE);
    expect(defaults.HELM_VERSION).toMatch(/^v\d+$/);
    expect(pin('HELM_VERSION')).toMatch(new RegExp(`^${defaults.HELM_VERSION}\\.\\d+\\.\\d+$`));
    expect(pin('JSPOLICY_VERSION')).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pin('KIND_VERSION')).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(pin('KIND_NODE_IMAGE')).toMatch(/^kindest\/node:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
    // kubectl of the node's Kubernetes version (kubectl supports one minor version of skew).
    expect(pin('KUBECTL_VERSION')).toBe(/^kindest\/node:(v[\d.]+)@/.exec(pin('KIND_NODE_IMAGE'))![1]);
  });

  it('installs exactly the pins, with the actions pinned by commit', { timeout: 5_000 }, () => {
    const kind = step('helm/kind-action');
    expect(kind.with).toEqual({ version: '${{ env.KIND_VERSION }}', kubectl_version: '${{ env.KUBECTL_VERSION }}', install_only: true });
    const helm = step('azure/setup-helm');
    expect(helm.with).toEqual({ version: '${{ env.HELM_VERSION }}' });
    for (const action of [kind, helm]) expect(action.uses).toMatch(/@[0-9a-f]{40}$/);
    // The script reads the pins from the same environment (and checks kind's and helm's versions).
    const script = steps.find((s) => s.run === 'scripts/e2e-kind.sh all');
    expect(script).toBeDefined();
    expect(script.env?.JSPOLICY_VERSION ?? e2e.env.JSPOLICY_VERSION).toBe(e2e.env.JSPOLICY_VERSION);
  });

  it('the README names the combination a release is tested on', { timeout: 5_000 }, () => {
    const readme = readFileSync(repoFile('README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Try it on a kind cluster'), readme.indexOf('\n## ', readme.indexOf('## Try it on a kind cluster') + 1));
    expect(section).toContain(`chart ${pin('JSPOLICY_VERSION')}`);
    expect(section).toContain(`loftsh/jspolicy:${pin('JSPOLICY_VERSION')}`);
    expect(section).toContain(`CI installs ${pin('HELM_VERSION')}`);
    expect(section).toContain(`kind | ${pin('KIND_VERSION')}`);
    expect(section).toContain(`\`${pin('KIND_NODE_IMAGE')}\``);
    expect(section).toContain(`kubectl | ${pin('KUBECTL_VERSION')}`);
  });

  it('uploads the diagnostics as an artifact when it fails', { timeout: 5_000 }, () => {
    const upload = step('actions/upload-artifact');
    expect(upload.if).toBe('failure() || cancelled()');
    const script = steps.find((s) => s.run === 'scripts/e2e-kind.sh all');
    expect(script['timeout-minutes']).toBeLessThan(e2e.jobs.kind['timeout-minutes']);
    const artifactsDir = String(e2e.jobs.kind.env.ARTIFACTS_DIR);
    expect(artifactsDir).toBe('${{ github.workspace }}/e2e-artifacts');
    expect(upload.with.path).toBe('e2e-artifacts/');
    expect(steps.indexOf(upload)).toBeGreaterThan(steps.findIndex((s) => s.run === 'scripts/e2e-kind.sh all'));
  });
});

describe('release.yml', () => {
  const release = load('release.yml');
  const steps = runs(release, 'release');
  it('runs on v* tags, after the tests and the end-to-end job', { timeout: 5_000 }, () => {
    expect(release.on).toEqual({ push: { tags: ['v*'] } });
    expect(release.jobs.release.needs).toEqual(['test', 'e2e']);
    expect(release.jobs.e2e.uses).toBe('./.github/workflows/e2e.yml');
    // No inputs: a release is tested on exactly the pins e2e.yml (and the README) name.
    expect(release.jobs.e2e.with).toBeUndefined();
    expect(runs(release, 'test')).toContain('npm test');
  });

  it('stamps the tag into package.json before building, and checks the stamp', { timeout: 5_000 }, () => {
    expect(steps.indexOf('npm version "$version" --no-git-tag-version')).toBeGreaterThan(-1);
    expect(steps.indexOf('npm version')).toBeLessThan(steps.indexOf('node build.mjs'));
    expect(steps).toContain('app.kubernetes.io/version: $VERSION');
    expect(steps).toContain('/* gptpolicy $VERSION gptpolicy-controller */');
    expect(steps).toContain('/* gptpolicy $VERSION gptpolicy-bootstrap */');
  });

  it('attaches the release manifest (one apply, any order) with sha256sums.txt, and publishes with provenance', { timeout: 5_000 }, () => {
    expect(steps).toContain('cp manifests/gptpolicy.yaml release/');
    expect(steps).toContain('sha256sum gptpolicy.yaml > sha256sums.txt');
    expect(steps).toContain('assets=(release/gptpolicy.yaml release/sha256sums.txt)');
    expect(steps).toContain('gh release create "$GITHUB_REF_NAME" "${assets[@]}"');
    expect(steps).toContain('npm publish --provenance');
    expect(release.jobs.release.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
    expect(release.permissions).toEqual({ contents: 'read' });
  });
});
