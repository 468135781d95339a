// scripts/e2e-kind.sh and its helpers, checked where no docker, kind or cluster is at hand: the
// script's syntax (bash -n, shellcheck), its arguments, its exit path (the exit code kept, the model
// stopped, diagnostics written), the steps whose tools can be faked (pins, build, architecture,
// cluster and image handling), the model helper (fake model + counting relay, on 127.0.0.1 only,
// bounded, stopping by itself) and every check it makes on jsPolicy's and our objects, fed the JSON
// shapes jsPolicy 0.2.x and our CRDs have. kind, docker, helm and kubectl are always fakes on PATH
// here: nothing reaches a cluster, a registry or the internet.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READY_REASONS } from '../../lib/controller/status.ts';
import { repoFile } from '../../tools/local/paths.ts';

const script = repoFile('scripts/e2e-kind.sh');
const checksScript = repoFile('scripts/e2e-kind-checks.mjs');
const modelScript = repoFile('scripts/e2e-model.mjs');
const cli = repoFile('dist/cli.mjs');
const source = readFileSync(script, 'utf8');

const base = mkdtempSync(join(tmpdir(), 'e2e-kind-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;

/** Settings the script reads: never inherited from whoever runs the tests. */
const SCRIPT_SETTINGS = [
  'JSPOLICY_VERSION', 'JSPOLICY_IMAGE', 'JSPOLICY_CHART_REPO', 'HELM_VERSION', 'KIND_VERSION', 'KIND_NODE_IMAGE', 'CLUSTER_NAME',
  'REUSE_CLUSTER', 'KEEP_CLUSTER', 'MODEL_PORT', 'FAKE_MODEL_PORT', 'FAKE_MODEL_SCRIPT', 'EXPECT_MODEL_CALLS', 'MODEL_HOST',
  'BIND_ADDRESS', 'MODEL_LIFETIME', 'KEEP_MODEL', 'MANIFESTS', 'STATE_DIR', 'ARTIFACTS_DIR', 'E2E_INJECT_FAILURE', 'POLL_INTERVAL',
];

interface Sandbox {
  dir: string;
  bin: string;
  state: string;
  env: NodeJS.ProcessEnv;
  /** Every call of a faked tool, one line each: "kind get clusters". */
  calls(): string[];
}

/**
 * A temporary STATE_DIR and a bin directory first on PATH whose kind, docker, helm and kubectl only
 * log their arguments and fail, unless `fakes` gives one a shell body ("$@" are its arguments).
 */
function sandbox(fakes: Record<string, string> = {}, settings: Record<string, string> = {}): Sandbox {
  const dir = join(base, `s${++counter}`);
  const bin = join(dir, 'bin');
  const state = join(dir, 'state');
  mkdirSync(bin, { recursive: true });
  const callLog = join(dir, 'calls.log');
  writeFileSync(callLog, '');
  for (const tool of ['kind', 'docker', 'helm', 'kubectl', ...Object.keys(fakes)]) {
    const body = fakes[tool] ?? 'exit 1';
    writeFileSync(join(bin, tool), `#!/usr/bin/env bash\necho "${tool} $*" >>"${callLog}"\n${body}\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of SCRIPT_SETTINGS) delete env[key];
  Object.assign(env, {
    PATH: `${bin}:${process.env.PATH}`,
    STATE_DIR: state,
    CLUSTER_NAME: `e2e-test-${counter}`,
    MODEL_HOST: '127.0.0.1',
    BIND_ADDRESS: '127.0.0.1',
    MODEL_PORT: '0',
    FAKE_MODEL_PORT: '0',
    POLL_INTERVAL: '0.2',
    ...settings,
  });
  return {
    dir,
    bin,
    state,
    env,
    calls: () => readFileSync(callLog, 'utf8').split('\n').filter(Boolean),
  };
}

function run(box: Sandbox, args: string[], timeout = 30_000): SpawnSyncReturns<string> {
  return spawnSync('bash', [script, ...args], { env: box.env, encoding: 'utf8', timeout, cwd: base });
}

/** Whether a process runs: a zombie (exited, not yet reaped by whoever adopted it) does not count. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) is all there is
  }
}

async function waitFor(what: string, condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));

function check(name: string, args: string[], input: unknown, env: NodeJS.ProcessEnv = {}): { code: number | null; out: string } {
  const result = spawnSync(process.execPath, [checksScript, name, ...args], {
    input: input === undefined ? '' : JSON.stringify(input),
    encoding: 'utf8',
    timeout: 10_000,
    env: { ...process.env, ...env },
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

/** The fake tools a passing check-tools needs: the pinned kind and helm, a docker that answers. */
const GOOD_TOOLS = {
  kind: 'if [[ "$1" == version ]]; then echo "kind v0.31.0 go1.25.5 linux/amd64"; exit 0; fi; if [[ "$1 $2" == "get clusters" ]]; then exit 0; fi; exit 1',
  helm: 'if [[ "$1" == version ]]; then echo "v3.20.2+g8fb76d6"; exit 0; fi; exit 1',
  docker: 'if [[ "$1" == info ]]; then echo x86_64; exit 0; fi; exit 1',
  kubectl: 'if [[ "$1" == version ]]; then echo "Client Version: v1.32.11"; exit 0; fi; exit 1',
};

const stepsFromHelp = (help: string): string[] => {
  const section = help.slice(help.indexOf('Steps, in the order'), help.indexOf('Settings (environment)'));
  return [...section.matchAll(/^ {2}([a-z][a-z-]+) /gm)].map((m) => m[1]);
};
const arrayInSource = (name: string): string[] => {
  const match = new RegExp(`^${name}=\\(([^)]*)\\)`, 'm').exec(source);
  if (!match) throw new Error(`no array ${name} in the script`);
  return match[1].split(/\s+/).filter(Boolean);
};

describe('scripts/e2e-kind.sh: syntax', () => {
  it('is valid bash', { timeout: 5_000 }, () => {
    const result = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  const shellcheck = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
  const haveShellcheck = shellcheck.status === 0;
  if (!haveShellcheck) {
    // .ci/run installs Debian's package; GitHub's runners have it preinstalled (so there it must be present).
    console.warn('shellcheck is not installed (apt-get install shellcheck): the shellcheck test is skipped');
  }
  it.skipIf(!haveShellcheck && process.env.GITHUB_ACTIONS !== 'true')('passes shellcheck, as does .ci/run', { timeout: 30_000 }, () => {
    const result = spawnSync('shellcheck', ['--severity=info', script, repoFile('.ci/run')], { encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.skipIf(!haveShellcheck && process.env.GITHUB_ACTIONS !== 'true')('shellcheck does catch mistakes', { timeout: 30_000 }, () => {
    const bad = join(base, 'bad.sh');
    writeFileSync(bad, '#!/usr/bin/env bash\nset -e\ntrap \'status=$?; rm -rf $dir/*; exit $status\' EXIT\n');
    const result = spawnSync('shellcheck', [bad], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/SC2154|SC2086/);
  });
});

describe('scripts/e2e-kind.sh: arguments', () => {
  it('--help lists every step (in the order `all` runs them), and every step runs a function', { timeout: 10_000 }, () => {
    const box = sandbox();
    const result = run(box, ['--help']);
    expect(result.status).toBe(0);
    const listed = stepsFromHelp(result.stdout);
    const all = arrayInSource('STEPS_OF_ALL');
    expect(listed.slice(0, all.length)).toEqual(all);
    const names = arrayInSource('STEP_NAMES');
    for (const step of [...all, 'delete-cluster', 'all', 'reset', 'logs', 'stop-model']) {
      expect(result.stdout).toContain(`  ${step}`);
      expect(names).toContain(step);
      const fn = step.replace(/-/g, '_');
      expect(source).toContain(`    ${step}) ${fn} ;;`);
      expect(source).toMatch(new RegExp(`^${fn}\\(\\) \\{`, 'm'));
    }
    expect(box.calls()).toEqual([]);
  });

  it('loads the jsPolicy image into kind before Helm runs, and probes the model before the intent is applied', { timeout: 5_000 }, () => {
    const all = arrayInSource('STEPS_OF_ALL');
    const at = (step: string): number => {
      expect(all).toContain(step);
      return all.indexOf(step);
    };
    expect(at('check-arch')).toBeLessThan(at('load-image'));
    expect(at('create-cluster')).toBeLessThan(at('load-image'));
    expect(at('load-image')).toBeLessThan(at('install-jspolicy'));
    expect(at('build')).toBeLessThan(at('start-model'));
    expect(at('install-jspolicy')).toBeLessThan(at('probe-model'));
    expect(at('probe-model')).toBeLessThan(at('apply-intent'));
    expect(at('install-jspolicy')).toBeLessThan(at('install-gptpolicy'));
    expect(at('create-secret')).toBeLessThan(at('apply-intent'));
    expect(at('approve')).toBeLessThan(at('check-pods'));
    expect(at('check-model-calls')).toBe(all.length - 1);
  });

  it('refuses an unknown step with exit 2 and the usage, before running any step', { timeout: 10_000 }, () => {
    const box = sandbox();
    const result = run(box, ['print-config', 'no-such-step']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown step: no-such-step');
    expect(result.stderr).toContain('usage: scripts/e2e-kind.sh');
    expect(result.stdout).toBe('');
    expect(existsSync(box.state)).toBe(false);
    expect(box.calls()).toEqual([]);
  });

  it('refuses a malformed E2E_INJECT_FAILURE with exit 2', { timeout: 10_000 }, () => {
    const box = sandbox({}, { E2E_INJECT_FAILURE: 'print-config' });
    const result = run(box, ['print-config']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('E2E_INJECT_FAILURE must be STEP:CODE');
  });

  it('print-config shows the pins, each overridable by its environment variable', { timeout: 10_000 }, () => {
    const pins = run(sandbox(), ['print-config']);
    expect(pins.status).toBe(0);
    expect(pins.stdout).toContain('JSPOLICY_VERSION=0.2.2\n');
    expect(pins.stdout).toContain('JSPOLICY_IMAGE=loftsh/jspolicy:0.2.2\n');
    expect(pins.stdout).toContain('HELM_VERSION=v3\n');
    expect(pins.stdout).toContain('KIND_VERSION=v0.31.0\n');
    expect(pins.stdout).toMatch(/^KIND_NODE_IMAGE=kindest\/node:v1\.32\.11@sha256:[0-9a-f]{64}$/m);
    const overridden = run(sandbox({}, { JSPOLICY_VERSION: '0.3.0', KIND_NODE_IMAGE: 'kindest/node:v1.31.14@sha256:abc', HELM_VERSION: 'v3.19.4', KIND_VERSION: '' }), ['print-config']);
    expect(overridden.stdout).toContain('JSPOLICY_VERSION=0.3.0\n');
    expect(overridden.stdout).toContain('JSPOLICY_IMAGE=loftsh/jspolicy:0.3.0\n');
    expect(overridden.stdout).toContain('KIND_NODE_IMAGE=kindest/node:v1.31.14@sha256:abc\n');
    expect(overridden.stdout).toContain('HELM_VERSION=v3.19.4\n');
    expect(overridden.stdout).toContain('KIND_VERSION=\n');
  });
});

describe('scripts/e2e-kind.sh: steps with faked tools', () => {
  it('check-tools passes with the pinned kind and helm', { timeout: 15_000 }, () => {
    const result = run(sandbox(GOOD_TOOLS), ['check-tools']);
    expect(result.stderr).toContain('kind v0.31.0, helm v3.20.2');
    expect(result.status).toBe(0);
  });

  it('check-tools refuses another kind version, Helm 4, and a helm that is not the exact pin when one is set', { timeout: 20_000 }, () => {
    const oldKind = run(sandbox({ ...GOOD_TOOLS, kind: 'echo "kind v0.29.0 go1.24 linux/amd64"' }), ['check-tools']);
    expect(oldKind.status).toBe(1);
    expect(oldKind.stderr).toContain('kind is v0.29.0, the pinned version is v0.31.0');
    const anyKind = run(sandbox({ ...GOOD_TOOLS, kind: 'echo "kind v0.29.0 go1.24 linux/amd64"' }, { KIND_VERSION: '' }), ['check-tools']);
    expect(anyKind.status).toBe(0);
    const helm4 = run(sandbox({ ...GOOD_TOOLS, helm: 'echo "v4.0.1+gabcdef"' }), ['check-tools']);
    expect(helm4.status).toBe(1);
    expect(helm4.stderr).toContain('helm is v4.0.1, the pinned version is v3');
    const helm3Other = run(sandbox({ ...GOOD_TOOLS, helm: 'echo "v3.19.4+gabcdef"' }, { HELM_VERSION: 'v3.20.2' }), ['check-tools']);
    expect(helm3Other.status).toBe(1);
    const helm3Longer = run(sandbox({ ...GOOD_TOOLS, helm: 'echo "v3.200.0"' }, { HELM_VERSION: 'v3.20' }), ['check-tools']);
    expect(helm3Longer.status).toBe(1);
    const noDocker = run(sandbox({ ...GOOD_TOOLS, docker: 'exit 1' }), ['check-tools']);
    expect(noDocker.status).toBe(1);
    expect(noDocker.stderr).toContain('docker does not answer');
  });

  it('build says to run npm ci when node_modules does not match, and otherwise always builds', { timeout: 15_000 }, () => {
    const stale = sandbox({ npm: 'if [[ "$1" == ls ]]; then exit 1; fi; exit 0' });
    const refused = run(stale, ['build']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("run 'npm ci' first");
    expect(stale.calls().filter((c) => c.startsWith('npm '))).toEqual(['npm ls --depth=0']);
    // manifests/ and dist/ exist here (npm test has built them): the step builds all the same.
    expect(existsSync(repoFile('manifests/gptpolicy-controller.yaml')) && existsSync(cli)).toBe(true);
    const fresh = sandbox({ npm: 'exit 0' });
    const built = run(fresh, ['build']);
    expect(built.status).toBe(0);
    expect(fresh.calls()).toEqual(['npm ls --depth=0', 'npm run build']);
  });

  it('check-arch fails with a clear message on a host jsPolicy has no image for', { timeout: 15_000 }, () => {
    const arm = sandbox({
      docker: [
        'if [[ "$1" == info ]]; then echo aarch64; exit 0; fi',
        'if [[ "$1" == pull ]]; then echo "no matching manifest for linux/arm64/v8 in the manifest list entries" >&2; exit 1; fi',
        'exit 1',
      ].join('\n'),
    });
    const result = run(arm, ['check-arch']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("jsPolicy's image loftsh/jspolicy:0.2.2 has no linux/arm64 variant");
    expect(result.stderr).toContain('x86_64 machine');
    expect(arm.calls()).toContain('docker pull --platform linux/arm64 loftsh/jspolicy:0.2.2');
    // A single-platform image pulled anyway, but for another architecture.
    const mismatch = sandbox({
      docker: ['if [[ "$1" == info ]]; then echo aarch64; exit 0; fi', 'if [[ "$1" == pull ]]; then exit 0; fi', 'if [[ "$1 $2" == "image inspect" ]]; then echo linux/amd64; exit 0; fi', 'exit 1'].join('\n'),
    });
    const second = run(mismatch, ['check-arch']);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('has no linux/arm64 variant');
    expect(second.stderr).toContain('docker image inspect says linux/amd64');
  });

  it('check-arch passes on x86_64 and records the platform', { timeout: 15_000 }, () => {
    const box = sandbox({
      docker: ['if [[ "$1" == info ]]; then echo x86_64; exit 0; fi', 'if [[ "$1" == pull ]]; then exit 0; fi', 'if [[ "$1 $2" == "image inspect" ]]; then echo linux/amd64; exit 0; fi', 'exit 1'].join('\n'),
    });
    const result = run(box, ['check-arch']);
    expect(result.status).toBe(0);
    expect(readFileSync(join(box.state, 'arch'), 'utf8').trim()).toBe('amd64');
  });

  it('create-cluster deletes a cluster an earlier run left and creates it from the pinned node image', { timeout: 15_000 }, () => {
    const box = sandbox({
      kind: 'if [[ "$1 $2" == "get clusters" ]]; then echo "$CLUSTER_NAME"; fi; exit 0',
      kubectl: 'exit 0',
    });
    const result = run(box, ['create-cluster']);
    expect(result.status).toBe(0);
    const name = box.env.CLUSTER_NAME;
    expect(box.calls().filter((c) => c.startsWith('kind '))).toEqual([
      'kind get clusters',
      `kind delete cluster --name ${name}`,
      `kind create cluster --name ${name} --image kindest/node:v1.32.11@sha256:5fc52d52a7b9574015299724bd68f183702956aa4a2116ae75a63cb574b35af8 --wait 180s`,
    ]);
  });

  it('create-cluster with REUSE_CLUSTER=1 keeps the cluster and deletes what an earlier run left', { timeout: 15_000 }, () => {
    const box = sandbox({ kind: 'if [[ "$1 $2" == "get clusters" ]]; then echo "$CLUSTER_NAME"; fi; exit 0', kubectl: 'exit 0' }, { REUSE_CLUSTER: '1' });
    const result = run(box, ['create-cluster']);
    expect(result.status).toBe(0);
    const calls = box.calls();
    expect(calls.some((c) => c.startsWith('kind create') || c.startsWith('kind delete'))).toBe(false);
    expect(calls).toContain(`kubectl --context kind-${box.env.CLUSTER_NAME} delete policyapprovals --all --ignore-not-found --wait=true --timeout=120s`);
    expect(calls).toContain(`kubectl --context kind-${box.env.CLUSTER_NAME} delete gptpolicy deny-prod --ignore-not-found --wait=true --timeout=120s`);
  });

  it('reset removes the finalizers of what the controller does not let go of, and says so', { timeout: 15_000 }, () => {
    const box = sandbox({
      kubectl: [
        'case "$*" in',
        '  *"delete gptpolicy deny-prod --ignore-not-found --wait=true --timeout=120s") exit 1 ;;',
        '  *"get gptpolicy deny-prod -o name") echo gptpolicy.gptpolicy.dev/deny-prod ;;',
        'esac',
        'exit 0',
      ].join('\n'),
    });
    const result = run(box, ['reset']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('gptpolicy deny-prod: not gone within 120 s');
    const ctx = `kubectl --context kind-${box.env.CLUSTER_NAME}`;
    const calls = box.calls();
    expect(calls).toContain(`${ctx} patch gptpolicy.gptpolicy.dev/deny-prod --type=merge -p {"metadata":{"finalizers":null}}`);
    expect(calls.indexOf(`${ctx} delete gptpolicy deny-prod --ignore-not-found --wait=true --timeout=30s`)).toBeGreaterThan(calls.findIndex((c) => c.includes(' patch ')));
    // Something still there after all that fails the run.
    const stuck = sandbox({ kubectl: 'if [[ "$*" == *"get gptpolicies,policyapprovals"* ]]; then echo "deny-prod   True"; fi; exit 0' });
    const failed = run(stuck, ['reset']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('reset left objects behind');
  });

  it('load-image falls back to a plain docker save where --platform is unknown', { timeout: 15_000 }, () => {
    const box = sandbox({
      docker: ['if [[ "$1 $2" == "save --help" ]]; then echo "Usage: docker save [OPTIONS] IMAGE"; exit 0; fi', 'if [[ "$1" == save ]]; then exit 0; fi', 'if [[ "$1" == exec ]]; then exit 0; fi', 'exit 1'].join('\n'),
      kind: 'if [[ "$1 $2" == "get nodes" ]]; then echo "$CLUSTER_NAME-control-plane"; fi; exit 0',
    });
    mkdirSync(box.state, { recursive: true });
    writeFileSync(join(box.state, 'arch'), 'amd64\n');
    const result = run(box, ['load-image']);
    expect(result.status).toBe(0);
    expect(box.calls()).toContain(`docker save -o ${join(box.state, 'jspolicy-image.tar')} loftsh/jspolicy:0.2.2`);
    expect(box.calls().some((c) => c.includes('--platform'))).toBe(false);
  });

  it('load-image saves one platform, loads the archive into kind, and checks the node has it', { timeout: 15_000 }, () => {
    const box = sandbox({
      docker: [
        'if [[ "$1 $2" == "save --help" ]]; then echo "      --platform string   Save only the given platform"; exit 0; fi',
        'if [[ "$1" == save ]]; then exit 0; fi',
        'if [[ "$1" == exec ]]; then exit 0; fi',
        'exit 1',
      ].join('\n'),
      kind: 'if [[ "$1 $2" == "get nodes" ]]; then echo "$CLUSTER_NAME-control-plane"; fi; exit 0',
    });
    mkdirSync(box.state, { recursive: true });
    writeFileSync(join(box.state, 'arch'), 'amd64\n');
    const result = run(box, ['load-image']);
    expect(result.status).toBe(0);
    const name = box.env.CLUSTER_NAME;
    const archive = join(box.state, 'jspolicy-image.tar');
    expect(box.calls()).toEqual([
      'docker save --help',
      `docker save --platform linux/amd64 -o ${archive} loftsh/jspolicy:0.2.2`,
      `kind load image-archive ${archive} --name ${name}`,
      `kind get nodes --name ${name}`,
      `docker exec ${name}-control-plane crictl inspecti docker.io/loftsh/jspolicy:0.2.2`,
    ]);
  });
});

describe('scripts/e2e-kind.sh: the exit path', () => {
  beforeAll(() => {
    if (!existsSync(cli)) throw new Error('dist/cli.mjs is missing: run `npm run build` (npm test does) first');
  });

  it('keeps the exit code of a failure before anything ran, and writes diagnostics without a cluster', { timeout: 15_000 }, () => {
    const box = sandbox({}, { E2E_INJECT_FAILURE: 'print-config:7' });
    const result = run(box, ['print-config']);
    expect(result.status).toBe(7);
    expect(result.stderr).toContain('injected failure after print-config');
    expect(result.stderr).toContain('FAILED (exit 7)');
    const artifacts = join(box.state, 'artifacts');
    expect(readFileSync(join(artifacts, 'cluster.txt'), 'utf8')).toContain(`no kind cluster named ${box.env.CLUSTER_NAME}`);
    expect(readFileSync(join(artifacts, 'config.txt'), 'utf8')).toContain('KIND_VERSION=v0.31.0');
    expect(box.calls()).toEqual(['kind get clusters']);
    // A second failing run replaces the first one's diagnostics, in the directory the script made.
    writeFileSync(join(artifacts, 'stale.txt'), 'from an earlier run');
    expect(run(box, ['print-config']).status).toBe(7);
    expect(existsSync(join(artifacts, 'stale.txt'))).toBe(false);
    expect(existsSync(join(artifacts, 'config.txt'))).toBe(true);
  });

  it('never empties an ARTIFACTS_DIR it did not make', { timeout: 15_000 }, () => {
    const own = join(base, `own-${++counter}`);
    mkdirSync(own, { recursive: true });
    writeFileSync(join(own, 'keep.txt'), 'mine');
    const box = sandbox({}, { E2E_INJECT_FAILURE: 'print-config:5', ARTIFACTS_DIR: own });
    expect(run(box, ['print-config']).status).toBe(5);
    expect(readFileSync(join(own, 'keep.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(own, 'config.txt'))).toBe(true);
  });

  it('keeps the exit code of a failing command in a step (exit 1), with the reason', { timeout: 15_000 }, () => {
    const box = sandbox({ ...GOOD_TOOLS, kind: 'echo "kind v0.20.0 go1.20 linux/amd64"' });
    const result = run(box, ['print-config', 'check-tools']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('FAIL: kind is v0.20.0');
    expect(result.stderr).toContain('FAILED (exit 1)');
  });

  it('stops the model it started before writing diagnostics, and keeps the exit code', { timeout: 40_000 }, () => {
    const box = sandbox({}, { E2E_INJECT_FAILURE: 'start-model:9' });
    const result = run(box, ['start-model']);
    expect(result.status).toBe(9);
    const info = readJson(join(box.state, 'model.json'));
    expect(alive(info.pid)).toBe(false);
    expect(alive(info.fakeModelPid)).toBe(false);
    const summary = readJson(join(box.state, 'model-summary.json'));
    expect(summary).toMatchObject({ reason: 'SIGTERM', relayForwarded: 1, chatCompletions: 0, fakeModelServed: 1 });
    // The model's summary is printed before the diagnostics, and is in them.
    expect(result.stderr.indexOf('model summary:')).toBeGreaterThan(-1);
    expect(result.stderr.indexOf('model summary:')).toBeLessThan(result.stderr.indexOf('==> logs'));
    const copied = join(box.state, 'artifacts', 'model');
    for (const file of ['model.log', 'relay.log', 'fake-model.log', 'model-summary.json']) expect(existsSync(join(copied, file))).toBe(true);
    expect(readFileSync(join(copied, 'fake-model.log'), 'utf8')).toContain('fake model stopped after 1 request');
  });

  it('on SIGTERM mid-step exits 143 and stops the model', { timeout: 40_000 }, async () => {
    const box = sandbox();
    // probe-model polls kubectl exec (a failing fake here) for 90 s: the run is stopped meanwhile.
    const child = spawn('bash', [script, 'start-model', 'probe-model'], { env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor('the probe to start', () => stderr.includes('==> probe-model'), 20_000);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    const info = readJson(join(box.state, 'model.json'));
    await waitFor('the model to stop', () => !alive(info.pid) && !alive(info.fakeModelPid), 5_000);
    expect(stderr).toContain('FAILED (exit 143)');
    expect(existsSync(join(box.state, 'model-summary.json'))).toBe(true);
  });
});

describe('the model: the fake model behind the counting relay, on 127.0.0.1', () => {
  beforeAll(() => {
    if (!existsSync(cli)) throw new Error('dist/cli.mjs is missing: run `npm run build` (npm test does) first');
  });

  it('start-model and stop-model: a chat completion through the relay, counted with its key; loopback only', { timeout: 40_000 }, async () => {
    const box = sandbox({}, { KEEP_MODEL: '1', MODEL_LIFETIME: '60' });
    const started = run(box, ['start-model']);
    expect(started.status).toBe(0);
    const info = readJson(join(box.state, 'model.json'));
    expect(info.bind).toBe('127.0.0.1');
    expect(alive(info.pid)).toBe(true); // KEEP_MODEL=1: it outlives the script
    const url = `http://127.0.0.1:${info.port}/v1`;
    expect(started.stderr).toContain(`pods reach the fake model at ${url}`);
    const completion = await fetch(`${url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer fake-e2e-key', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake', messages: [{ role: 'user', content: 'hi' }] }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(completion.status).toBe(200);
    const body = (await completion.json()) as any;
    expect(body.choices[0].message.tool_calls[0].function.name).toBe('submit_policy');
    const stopped = run(box, ['stop-model']);
    expect(stopped.status).toBe(0);
    expect(alive(info.pid)).toBe(false);
    expect(alive(info.fakeModelPid)).toBe(false);
    const summary = readJson(join(box.state, 'model-summary.json'));
    // The local probe of start-model, then the completion.
    expect(summary).toEqual({ reason: 'SIGTERM', relayForwarded: 2, relayFailed: 0, chatCompletions: 1, chatCompletionsWithKey: 1, fakeModelServed: 2 });
    expect(check('model-summary', ['1'], summary).code).toBe(0);
    expect(check('model-summary', ['2'], summary)).toMatchObject({ code: 3 });
    expect(readFileSync(join(box.state, 'relay.log'), 'utf8')).not.toContain('fake-e2e-key');
  });

  it('a chat completion without the Secret’s key is told apart', { timeout: 40_000 }, async () => {
    const box = sandbox({}, { KEEP_MODEL: '1' });
    expect(run(box, ['start-model']).status).toBe(0);
    const info = readJson(join(box.state, 'model.json'));
    await fetch(`http://127.0.0.1:${info.port}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer other' }, body: '{}', signal: AbortSignal.timeout(5_000) });
    expect(run(box, ['stop-model']).status).toBe(0);
    const summary = readJson(join(box.state, 'model-summary.json'));
    expect(summary).toMatchObject({ chatCompletions: 1, chatCompletionsWithKey: 0 });
    expect(check('model-summary', ['1'], summary).out).toContain('without the key');
  });

  it('stops by itself after MODEL_LIFETIME', { timeout: 60_000 }, async () => {
    // Long enough for start-model to see it listen on a loaded machine, short enough to wait for.
    const box = sandbox({}, { KEEP_MODEL: '1', MODEL_LIFETIME: '8' });
    expect(run(box, ['start-model']).status).toBe(0);
    const info = readJson(join(box.state, 'model.json'));
    await waitFor('the model to stop by itself', () => !alive(info.pid) && !alive(info.fakeModelPid), 25_000);
    expect(readJson(join(box.state, 'model-summary.json')).reason).toBe('lifetime of 8 s reached');
  });

  it('stops by itself when the process that started it is gone', { timeout: 40_000 }, async () => {
    const state = join(base, `watch-${++counter}`);
    const parent = spawn('sleep', ['60']);
    const helper = spawn(process.execPath, [modelScript, '--cli', cli, '--script', repoFile('test/fixtures/deny-prod.script.json'), '--bind', '127.0.0.1', '--port', '0', '--fake-port', '0', '--state-dir', state, '--watch-pid', String(parent.pid)], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => helper.on('exit', (code) => resolve(code)));
    await waitFor('the model to listen', () => existsSync(join(state, 'model.json')), 20_000);
    const info = readJson(join(state, 'model.json'));
    parent.kill('SIGKILL');
    expect(await exited).toBe(0);
    expect(alive(info.fakeModelPid)).toBe(false);
    expect(readJson(join(state, 'model-summary.json')).reason).toBe(`process ${parent.pid} (the run that started the model) has ended`);
  });

  it('answers 504 by itself when the fake model does not answer in time, and counts the failure', { timeout: 40_000 }, async () => {
    const state = join(base, `hang-${++counter}`);
    mkdirSync(state, { recursive: true });
    const hanging = join(state, 'hang.json');
    writeFileSync(hanging, JSON.stringify([{ hang: true }]));
    const helper = spawn(process.execPath, [modelScript, '--cli', cli, '--script', hanging, '--bind', '127.0.0.1', '--port', '0', '--fake-port', '0', '--state-dir', state, '--timeout-ms', '500', '--lifetime', '30'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => helper.on('exit', (code) => resolve(code)));
    await waitFor('the model to listen', () => existsSync(join(state, 'model.json')), 20_000);
    const info = readJson(join(state, 'model.json'));
    const answer = await fetch(`http://127.0.0.1:${info.port}/v1/chat/completions`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(5_000) });
    expect(answer.status).toBe(504);
    expect(await answer.text()).toContain('no answer within 500 ms');
    helper.kill('SIGTERM');
    expect(await exited).toBe(0);
    const summary = readJson(join(state, 'model-summary.json'));
    expect(summary).toMatchObject({ relayFailed: 1, relayForwarded: 0, fakeModelServed: 1 });
    expect(check('model-summary', ['0'], summary)).toMatchObject({ code: 3 });
  });

  it('refuses bad arguments', { timeout: 10_000 }, () => {
    const result = spawnSync(process.execPath, [modelScript, '--port', 'x'], { encoding: 'utf8', timeout: 5_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage:');
  });
});

// Objects as jsPolicy 0.2.x writes them (JSON tags of pkg/apis/policy/v1beta1, client-go's leader
// record, the webhook configurations of pkg/controllers/jspolicy.go) and as our CRDs define them.
const POD = 'jspolicy-7d9f8b6c4-x2x9q';
const IMAGE = 'loftsh/jspolicy:0.2.2';
const jsPolicyPod = (overrides: any = {}): any => ({
  kind: 'Pod',
  metadata: { name: POD, namespace: 'jspolicy', ...overrides.metadata },
  spec: { containers: [{ name: 'jspolicy', image: overrides.image ?? IMAGE }] },
  status: {
    phase: overrides.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: overrides.ready ?? 'True' }],
    containerStatuses: [{ name: 'jspolicy', imageID: 'docker.io/loftsh/jspolicy@sha256:0123', restartCount: 0 }],
  },
});
const leaderConfigMap = (holder: string): any => ({
  kind: 'ConfigMap',
  metadata: { name: 'jspolicy-controller', namespace: 'jspolicy', annotations: { 'control-plane.alpha.kubernetes.io/leader': JSON.stringify({ holderIdentity: holder, leaseDurationSeconds: 60 }) } },
});
const condition = (type: string, status: string, reason = '', message = ''): any => ({ type, status, reason, message });
const generated = (overrides: any = {}): any => ({
  kind: 'JsPolicy',
  metadata: { name: 'deny-prod.gptpolicy.dev', ownerReferences: [{ kind: 'GPTPolicy', name: 'deny-prod' }] },
  spec: {
    type: 'Validating',
    operations: ['CREATE', 'UPDATE'],
    resources: ['pods'],
    apiGroups: [''],
    failurePolicy: 'Ignore',
    violationPolicy: 'Dry',
    namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['test'] }, { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'jspolicy'] }] },
    ...overrides,
  },
});
const violations = (...entries: Array<[string, string, string]>): any => ({
  kind: 'JsPolicyViolations',
  metadata: { name: 'deny-prod.gptpolicy.dev' },
  status: {
    violations: entries.map(([action, namespace, name]) => ({
      action,
      code: 403,
      reason: 'Forbidden',
      message: 'pods labelled env=prod are not allowed in namespace test',
      requestInfo: { kind: 'Pod', namespace, name, operation: 'CREATE', apiVersion: 'v1' },
      userInfo: { username: 'kubernetes-admin', uid: '' },
      timestamp: '2026-01-01T00:00:00Z',
    })),
  },
});
const rolloutList = ({ stage = 'Deny', approvedBy = 'kubernetes-admin', rolloutBy = 'kubernetes-admin', phase = 'Active', violationPolicy = 'Deny' } = {}): any => ({
  kind: 'List',
  items: [
    { kind: 'GPTPolicy', metadata: { name: 'deny-prod' }, status: { policyName: 'deny-prod.gptpolicy.dev', rollout: { stage, approvedBy: rolloutBy, specHash: 'abc' } } },
    { kind: 'JsPolicy', metadata: { name: 'deny-prod.gptpolicy.dev' }, spec: { violationPolicy } },
    { kind: 'PolicyApproval', metadata: { name: 'deny-prod.deny' }, spec: { gptPolicy: 'deny-prod', stage: 'Deny', specHash: 'abc', approvedBy }, status: { phase } },
  ],
});

describe('scripts/e2e-kind-checks.mjs: what each claim is checked against', () => {
  it('jspolicy-pod: one running, ready pod with the loaded image; its name is kept', { timeout: 20_000 }, () => {
    const valueFile = join(base, `pod-${++counter}`);
    expect(check('jspolicy-pod', [IMAGE], { kind: 'List', items: [jsPolicyPod()] }, { E2E_CHECK_VALUE_FILE: valueFile }).code).toBe(0);
    expect(readFileSync(valueFile, 'utf8').trim()).toBe(POD);
    expect(check('jspolicy-pod', [IMAGE], { items: [jsPolicyPod({ image: 'loftsh/jspolicy:0.1.0' })] }).code).toBe(3);
    expect(check('jspolicy-pod', [IMAGE], { items: [jsPolicyPod({ ready: 'False' })] }).code).toBe(1);
    expect(check('jspolicy-pod', [IMAGE], { items: [jsPolicyPod(), jsPolicyPod({ metadata: { name: 'jspolicy-other' } })] }).code).toBe(1);
    expect(check('jspolicy-pod', [IMAGE], { items: [jsPolicyPod(), jsPolicyPod({ metadata: { name: 'old', deletionTimestamp: 'x' } })] }).code).toBe(0);
    expect(check('jspolicy-pod', [IMAGE], { items: [] }).code).toBe(1);
  });

  it('leader: the record names this pod (ConfigMap lock of jsPolicy 0.2, or a Lease)', { timeout: 20_000 }, () => {
    const list = (...items: any[]): any => ({ kind: 'List', items });
    expect(check('leader', [POD], list(leaderConfigMap(`${POD}-external-jspolicy-controller`))).code).toBe(0);
    expect(check('leader', [POD], list(leaderConfigMap('jspolicy-old-pod-external-jspolicy-controller'))).code).toBe(1);
    expect(check('leader', [POD], list({ kind: 'Lease', spec: { holderIdentity: `${POD}_1234` } })).code).toBe(0);
    expect(check('leader', [POD], list()).code).toBe(1);
    expect(check('leader', ['jspolicy-7d9f8b6c4'], list(leaderConfigMap(`${POD}-external-jspolicy-controller`))).code).toBe(1); // another pod's name as a prefix
    expect(check('leader', [], list()).code).toBe(2);
  });

  it('jspolicy-webhook: the chart creates the configuration empty; jsPolicy fills it once it leads', { timeout: 20_000 }, () => {
    const fromChart = { kind: 'ValidatingWebhookConfiguration', metadata: { name: 'jspolicy' } };
    expect(check('jspolicy-webhook', [], fromChart).code).toBe(1);
    const filled = { ...fromChart, webhooks: [{ name: 'jspolicy.jspolicy.com', clientConfig: { caBundle: 'LS0t', service: { namespace: 'jspolicy', name: 'jspolicy', path: '/crds' } } }] };
    expect(check('jspolicy-webhook', [], filled).code).toBe(0);
    expect(check('jspolicy-webhook', [], { ...fromChart, webhooks: [{ name: 'jspolicy.jspolicy.com', clientConfig: {} }] }).code).toBe(1);
    expect(check('jspolicy-webhook', [], undefined).code).toBe(1);
  });

  it('controller-ready: True passes, InitControllerPolicy is told apart (4), a compile failure ends the wait (3)', { timeout: 20_000 }, () => {
    const controller = (...conditions: any[]): any => ({ kind: 'JsPolicy', metadata: { name: 'gptpolicy-controller.gptpolicy.dev' }, status: { phase: 'Synced', conditions } });
    expect(check('controller-ready', [], controller(condition('BundleCompiled', 'True'), condition('ControllerReady', 'True'))).code).toBe(0);
    const init = check('controller-ready', [], controller(condition('ControllerReady', 'False', 'InitControllerPolicy', 'error starting controller policy: no matches for kind "GPTPolicy"')));
    expect(init.code).toBe(4);
    expect(init.out).toContain('no matches for kind');
    expect(check('controller-ready', [], controller(condition('BundleCompiled', 'False', 'CompileFailed', 'webpack failed'))).code).toBe(3);
    expect(check('controller-ready', [], controller()).code).toBe(1);
    expect(check('controller-ready', [], undefined).code).toBe(1);
  });

  it('condition: True passes; False or unset waits, saying why', { timeout: 20_000 }, () => {
    const policy = (...conditions: any[]): any => ({ kind: 'JsPolicy', metadata: { name: 'deny-prod.gptpolicy.dev' }, status: { conditions } });
    expect(check('condition', ['WebhookReady'], policy(condition('WebhookReady', 'True'))).code).toBe(0);
    const failed = check('condition', ['WebhookReady'], policy(condition('WebhookReady', 'False', 'SyncFailed', 'forbidden')));
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('reason SyncFailed: forbidden');
    expect(check('condition', ['WebhookReady'], policy(condition('Ready', 'True'))).out).toContain('WebhookReady not set');
    expect(check('condition', [], policy()).code).toBe(2);
  });

  it('skills-checked: the controller has written a PolicySkill status', { timeout: 20_000 }, () => {
    const skill = (status?: any): any => ({ kind: 'PolicySkill', metadata: { name: 'x' }, spec: { function: 'x' }, ...(status ? { status } : {}) });
    expect(check('skills-checked', [], { items: [skill(), skill({ verified: true })] }).code).toBe(0);
    expect(check('skills-checked', [], { items: [skill({ verified: false })] }).code).toBe(0);
    expect(check('skills-checked', [], { items: [skill(), skill()] }).code).toBe(1);
    expect(check('skills-checked', [], { items: [] }).code).toBe(1);
  });

  it('gptpolicy-ready: Ready passes; a final reason ends the wait; anything else waits', { timeout: 20_000 }, () => {
    const gp = (...conditions: any[]): any => ({ kind: 'GPTPolicy', metadata: { name: 'deny-prod' }, status: { conditions } });
    expect(check('gptpolicy-ready', [], gp(condition('Ready', 'True', 'PolicyApplied'))).code).toBe(0);
    expect(check('gptpolicy-ready', [], gp(condition('Ready', 'False', 'Generating'))).code).toBe(1);
    expect(check('gptpolicy-ready', [], gp(condition('Ready', 'False', 'ModelUnreachable', 'connect ECONNREFUSED'))).out).toContain('ECONNREFUSED');
    expect(check('gptpolicy-ready', [], gp(condition('Ready', 'False', 'AttemptsExhausted'))).code).toBe(3);
    expect(check('gptpolicy-ready', [], gp(condition('Ready', 'False', 'NoApiKey'))).code).toBe(3);
  });

  it('policy-shape: owned, narrow, fail open, Dry — anything else fails at once', { timeout: 20_000 }, () => {
    expect(check('policy-shape', ['deny-prod'], generated()).code).toBe(0);
    expect(check('policy-shape', ['deny-prod'], generated({ violationPolicy: 'Deny' })).code).toBe(3);
    expect(check('policy-shape', ['deny-prod'], generated({ apiGroups: ['*'] })).code).toBe(3);
    expect(check('policy-shape', ['deny-prod'], generated({ failurePolicy: 'Fail' })).code).toBe(3);
    expect(check('policy-shape', ['deny-prod'], generated({ namespaceSelector: {} })).code).toBe(3);
    expect(check('policy-shape', ['other'], generated()).code).toBe(3);
  });

  it('policy-webhook: the configuration jsPolicy owns for the policy, failing open', { timeout: 20_000 }, () => {
    const config = (failurePolicy: string): any => ({
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'deny-prod.gptpolicy.dev-ab1cd', ownerReferences: [{ kind: 'JsPolicy', name: 'deny-prod.gptpolicy.dev' }] },
      webhooks: [{ name: 'deny-prod.gptpolicy.dev', failurePolicy, clientConfig: { service: { path: '/policy/deny-prod.gptpolicy.dev' } } }],
    });
    const jspolicyOwn = { kind: 'ValidatingWebhookConfiguration', metadata: { name: 'jspolicy' }, webhooks: [{ name: 'jspolicy.jspolicy.com' }] };
    expect(check('policy-webhook', ['deny-prod.gptpolicy.dev'], { items: [jspolicyOwn, config('Ignore')] }).code).toBe(0);
    expect(check('policy-webhook', ['deny-prod.gptpolicy.dev'], { items: [jspolicyOwn] }).code).toBe(1);
    expect(check('policy-webhook', ['deny-prod.gptpolicy.dev'], { items: [config('Fail')] }).code).toBe(3);
  });

  it('violation: the Dry denial jsPolicy logged, with the requesting user kept', { timeout: 20_000 }, () => {
    const valueFile = join(base, `user-${++counter}`);
    const logged = check('violation', ['Dry', 'test', 'e2e-dry-'], violations(['Dry', 'test', 'e2e-dry-123-4']), { E2E_CHECK_VALUE_FILE: valueFile });
    expect(logged.code).toBe(0);
    expect(logged.out).toContain('by kubernetes-admin');
    expect(readFileSync(valueFile, 'utf8').trim()).toBe('kubernetes-admin');
    expect(check('violation', ['Dry', 'test', 'e2e-dry-'], violations(['Deny', 'test', 'e2e-dry-1'], ['Dry', 'default', 'e2e-dry-2'], ['Dry', 'test', 'other'])).code).toBe(1);
    expect(check('violation', ['Deny', 'test', 'e2e-prod'], violations(['Dry', 'test', 'e2e-dry-1'], ['Deny', 'test', 'e2e-prod'])).code).toBe(0);
    expect(check('violation', ['Dry', 'test', 'e2e-dry-'], undefined).code).toBe(1);
  });

  it('rollout: JsPolicy, GPTPolicy rollout and approval at Deny, approved by the creating user', { timeout: 20_000 }, () => {
    const args = ['Deny', 'kubernetes-admin', 'deny-prod', 'deny-prod.deny'];
    expect(check('rollout', args, rolloutList()).code).toBe(0);
    expect(check('rollout', args, rolloutList({ approvedBy: 'e2e-forged-approver' })).code).toBe(3);
    expect(check('rollout', args, rolloutList({ stage: 'Dry', violationPolicy: 'Dry' })).code).toBe(1);
    expect(check('rollout', args, rolloutList({ rolloutBy: 'someone' })).code).toBe(1);
    expect(check('rollout', args, rolloutList({ phase: 'Stale' })).code).toBe(3);
    expect(check('rollout', args, { kind: 'List', items: rolloutList().items.slice(0, 2) }).code).toBe(1);
  });

  it('usage: the GPTPolicy counts exactly the expected model calls', { timeout: 20_000 }, () => {
    expect(check('usage', ['1'], { status: { usage: { modelCalls: 1, totalTokens: 150 } } }).code).toBe(0);
    expect(check('usage', ['1'], { status: { usage: { modelCalls: 2 } } }).code).toBe(3);
    expect(check('usage', ['1'], { status: {} }).code).toBe(1);
  });

  it('model-summary: calls as expected, each with the key, and nothing reached the fake model past the relay', { timeout: 20_000 }, () => {
    const good = { reason: 'SIGTERM', relayForwarded: 3, relayFailed: 0, chatCompletions: 1, chatCompletionsWithKey: 1, fakeModelServed: 3 };
    expect(check('model-summary', ['1'], good).code).toBe(0);
    expect(check('model-summary', ['1'], { ...good, fakeModelServed: 4 }).code).toBe(3);
    expect(check('model-summary', ['1'], { ...good, fakeModelServed: null }).code).toBe(3);
    expect(check('model-summary', ['1'], undefined).code).toBe(3);
  });

  it('an unknown check, or missing arguments, is a usage error (2)', { timeout: 10_000 }, () => {
    expect(check('no-such-check', [], {}).code).toBe(2);
    expect(check('violation', ['Dry'], {}).code).toBe(2);
    expect(check('usage', ['x'], {}).code).toBe(2);
  });
});

describe('scripts/e2e-kind-checks.mjs: the Ready reasons it stops waiting at', () => {
  it('are every reason of lib/controller/status.ts after which nothing happens until the intent changes', () => {
    const source = readFileSync(repoFile('scripts/e2e-kind-checks.mjs'), 'utf8');
    const listed = /const FINAL_REASONS = new Set\(\[([^\]]*)\]\)/.exec(source)?.[1] ?? '';
    const finals = [...listed.matchAll(/'([A-Za-z]+)'/g)].map((m) => m[1]).sort();
    // Under way, applied, or retried by the controller itself.
    const passing = ['PolicyApplied', 'Generating', 'Checking', 'Correcting', 'ModelRateLimited', 'ModelUnavailable', 'ModelUnreachable'];
    expect(finals).toEqual(READY_REASONS.filter((r) => !passing.includes(r)).sort());
  });
});
