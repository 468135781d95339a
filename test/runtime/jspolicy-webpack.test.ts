// jsPolicy compiles spec.javascript with webpack (pkg/bundle/bundle.go) and runs the output: so does the
// local runtime (tools/runtime/jspolicy/webpack-bundle.ts, a warm webpack-cli service with a cache).
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdmissionRequest, JsPolicy, JsPolicySpec, KubeObject } from '../../lib/k8s/types.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import { checkPolicyJavascript } from '../../tools/runtime/jspolicy/compile-check.ts';
import { installJsPolicy } from '../../tools/runtime/jspolicy/install.ts';
import {
  forgetWebpackResults,
  goDuration,
  jsPolicyPackageJson,
  JSPOLICY_WEBPACK_CONFIG,
  webpackCounters,
  webpackLikeJsPolicy,
  type WebpackResult,
} from '../../tools/runtime/jspolicy/webpack-bundle.ts';
import { policyProblem } from '../../tools/runtime/policytest/run.ts';
import { admit } from '../../tools/runtime/webhook/admit.ts';
import { decodeBundle, resolvePolicyScript } from '../../tools/runtime/webhook/script.ts';
import { runPolicyScript } from '../../tools/runtime/vm/index.ts';

const API = 'policy.jspolicy.com/v1beta1';
const NOW = Date.parse('2024-05-01T12:00:00Z');
const T = { timeout: 120_000 };

const policy = (name: string, javascript: string, spec: JsPolicySpec = {}): JsPolicy => ({
  apiVersion: API,
  kind: 'JsPolicy',
  metadata: { name },
  spec: { operations: ['CREATE'], resources: ['pods'], javascript, ...spec },
});

const pod = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'team', labels },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
});

const request = (labels: Record<string, string> = {}): AdmissionRequest => ({
  uid: 'u',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  name: 'web',
  namespace: 'team',
  operation: 'CREATE',
  userInfo: { username: 'alice' },
  object: pod('web', labels),
  oldObject: null,
  options: null,
});

function setup() {
  const cluster = new InMemoryCluster({ now: () => NOW, objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }] });
  installJsPolicy(cluster, { now: () => NOW });
  const getPolicy = (name: string) => cluster.get(API, 'JsPolicy', undefined, name) as JsPolicy | undefined;
  const getBundle = (name: string) => (cluster.get(API, 'JsPolicyBundle', undefined, name)?.spec as { bundle?: string } | undefined)?.bundle;
  return { cluster, getPolicy, getBundle };
}

/** Files only webpack sees (it reads them at compile time); removed at the end. */
const files: string[] = [];
function compileTimeFile(content: string): string {
  const file = join(tmpdir(), `gptpolicy-webpack-test-${randomUUID()}.js`);
  writeFileSync(file, content);
  files.push(file);
  return file;
}
afterAll(() => {
  for (const file of files) rmSync(file, { force: true });
});

/** webpack's own timing ("compiled with 1 error in 123 ms") is the only part that differs between two runs. */
const untimed = (text: string): string => text.replace(/ in \d+ ms\n/g, ' in N ms\n');
const textOf = (result: WebpackResult): string => (result.ok ? result.javascript : result.message);

describe("jsPolicy's webpack step: what runs is webpack's output", () => {
  it('a require() of a file that only exists at compile time is inlined, and the stored JsPolicyBundle runs', T, () => {
    const marker = `compile-time-${randomUUID()}`;
    const file = compileTimeFile(`module.exports = ${JSON.stringify(marker)};\n`);
    const javascript = `deny(require(${JSON.stringify(file)}))`;
    // As written, `require` does not exist in jsPolicy's V8: the policy would error, not deny.
    const { cluster, getPolicy, getBundle } = setup();
    expect(cluster.create(policy('req.example.com', javascript)).ok).toBe(true);
    expect(getPolicy('req.example.com')?.status).toMatchObject({ phase: 'Synced' });
    const bundle = getBundle('req.example.com');
    expect(bundle).toBeTypeOf('string');
    const stored = decodeBundle(bundle as string);
    expect(stored).toContain(marker);
    expect(stored).not.toBe(javascript);
    rmSync(file);
    // The run executes the stored bundle (the file is gone, the compile result is not).
    expect(cluster.create(pod('a'))).toMatchObject({ ok: false, message: `admission webhook "req.example.com" denied the request: ${marker}` });
    // Without a reconcile (plain admit, PolicyTest), the same compile happens on the fly (from the cache now).
    expect(admit(policy('req.example.com', javascript), request())).toMatchObject({ allowed: false, message: marker });
    expect(resolvePolicyScript(policy('req.example.com', javascript))).toMatchObject({ ok: true, source: 'webpack', javascript: stored });
  });

  it('an HTML-like comment hides a require() from V8 but not from webpack, which reads the file: its content is in the CompileFailed message', T, () => {
    const secretish = `not javascript at all ${randomUUID()}`;
    const file = compileTimeFile(`${secretish}\n`);
    // As a classic script `<!--` starts a comment (the policy would just reference `a`); webpack parses
    // a module first, where it is `a < !--b`, so it follows the require and fails on the file.
    const javascript = `a <!--b; require(${JSON.stringify(file)})`;
    const { cluster, getPolicy } = setup();
    cluster.create(policy('html.example.com', javascript));
    const status = getPolicy('html.example.com')?.status;
    expect(status).toMatchObject({ phase: 'Failed', reason: 'CompileFailed' });
    const message = status?.message ?? '';
    expect(message.startsWith('error bundling javascript: ')).toBe(true);
    expect(message.endsWith('\n exit status 1')).toBe(true);
    // The module is named relative to webpack's context, jsPolicy's temp dir in the temp directory.
    expect(message).toContain(`ERROR in ../${basename(file)} 1:4\nModule parse failed: Unexpected token (1:4)\n`);
    expect(message).toContain(`\n> ${secretish}\n`);
    expect(status?.conditions?.find((c) => c.type === 'BundleCompiled')).toMatchObject({ status: 'False', reason: 'CompileFailed', message });
    // The same text, byte for byte but webpack's timing, as a fresh `node webpack-cli/bin/cli.js --config webpack.config.js`.
    const cold = webpackLikeJsPolicy(javascript, { cache: false, runner: 'process' });
    expect(untimed(textOf(cold))).toBe(untimed(message));
    // To V8 9.6 (and so to a check that only runs the code) the same text is a comment: nothing is read.
    expect(runPolicyScript({ policyName: 'html.example.com', javascript: `var a = 1, b = 2;\n${javascript}`, request: {} })).toMatchObject({ kind: 'completed', response: {} });
  });

  it("a syntax error: CompileFailed with webpack's output, no webhook, and PolicyTest reports it", T, () => {
    const { cluster, getPolicy, getBundle } = setup();
    cluster.create(policy('bad.example.com', 'deny("x"'));
    const status = getPolicy('bad.example.com')?.status;
    expect(status).toMatchObject({ phase: 'Failed', reason: 'CompileFailed' });
    expect(untimed(status?.message ?? '')).toBe(
      'error bundling javascript: assets by status 370 bytes [cached] 1 asset\n' +
        './index.js 8 bytes [built] [code generated] [1 error]\n\n' +
        'ERROR in ./index.js 1:8\n' +
        'Module parse failed: Unexpected token (1:8)\n' +
        'You may need an appropriate loader to handle this file type, currently no loaders are configured to process this file. See https://webpack.js.org/concepts#loaders\n' +
        '> deny("x"\n\n' +
        'webpack 5.75.0 compiled with 1 error in N ms\n' +
        ' exit status 1',
    );
    expect(getBundle('bad.example.com')).toBeUndefined();
    expect(cluster.create(pod('a')).ok).toBe(true);
    expect(policyProblem(policy('bad.example.com', 'deny("x"'))).toMatch(/^jsPolicy cannot compile spec\.javascript \(CompileFailed, so it never runs\): error bundling javascript: .*Module parse failed: Unexpected token \(1:8\)/s);
    expect(admit(policy('bad.example.com', 'deny("x"'), request())).toMatchObject({ allowed: false, code: 500, error: expect.stringMatching(/CompileFailed\): error bundling javascript: /) });
  });

  it('the warm service prints what a fresh webpack-cli process prints, and bundles the same bytes', T, () => {
    for (const javascript of ['deny("x"', 'import _ from "lodash"; allow()', 'if (request.object.metadata.labels.env === "prod") deny("no prod");']) {
      const warm = webpackLikeJsPolicy(javascript, { cache: false });
      const cold = webpackLikeJsPolicy(javascript, { cache: false, runner: 'process' });
      expect(warm.ok).toBe(cold.ok);
      // Module-not-found errors name jsPolicy's temp dir (a random uint32 under the temp directory, as Go 1.17's ioutil.TempDir).
      const dirless = (text: string) => untimed(text).replace(/\/\d{1,10}(?=[/'\s])/g, '/TMPDIR');
      expect(dirless(textOf(warm))).toBe(dirless(textOf(cold)));
    }
  });

  it('a good policy compiles; the JsPolicyBundle holds base64(gzip(webpack output)); verdicts are those of the javascript as written', T, () => {
    const javascript = "const env = request.object.metadata.labels?.env; if (env === 'prod') deny('no prod'); else if (env === 'dev') warn('dev pod');";
    const compiled = webpackLikeJsPolicy(javascript);
    expect(compiled.ok).toBe(true);
    const output = textOf(compiled);
    expect(output).not.toBe(javascript);
    expect(output).toMatch(/^\(\(\)=>\{/);

    const { cluster, getBundle } = setup();
    cluster.create(policy('good.example.com', javascript));
    expect(decodeBundle(getBundle('good.example.com') as string)).toBe(output);

    const asWritten = gzipSync(javascript).toString('base64');
    for (const labels of [{ env: 'prod' }, { env: 'dev' }, {}] as Array<Record<string, string>>) {
      const webpacked = admit(policy('good.example.com', javascript), request(labels));
      const plain = admit(policy('good.example.com', javascript), request(labels), { bundle: asWritten });
      expect(webpacked).toEqual(plain);
    }
    expect(admit(policy('good.example.com', javascript), request({ env: 'prod' }))).toMatchObject({ allowed: false, message: 'no prod' });
  });

  it('spec.dependencies are refused (no npm install), an empty map is no dependency', T, () => {
    const deps = policy('dep.example.com', 'import _ from "lodash"; allow()', { dependencies: { lodash: '^4.17.21' } });
    expect(admit(deps, request())).toMatchObject({ allowed: false, error: expect.stringMatching(/has spec\.dependencies \(lodash\): the local runtime does not run npm install/) });
    expect(() => webpackLikeJsPolicy('allow()', { dependencies: { lodash: '^4' } })).toThrow(/npm install/);
    expect(jsPolicyPackageJson(null)).toBe('{"dependencies":null,"description":"this is a temporary package","main":"./index.js","name":"my_package","version":"1.0.0"}');
    expect(jsPolicyPackageJson({})).toBe('{"dependencies":{},"description":"this is a temporary package","main":"./index.js","name":"my_package","version":"1.0.0"}');
    expect(checkPolicyJavascript(policy('empty.example.com', 'deny("e")', { dependencies: {} }))).toMatchObject({ ok: true, bundle: expect.stringContaining('deny("e")') });
  });

  it('results are cached: memory, then disk, keyed by the exact input', T, () => {
    const javascript = `/* ${randomUUID()} */ deny("cached")`;
    const before = { ...webpackCounters };
    expect(webpackLikeJsPolicy(javascript)).toMatchObject({ ok: true, from: 'webpack' });
    expect(webpackLikeJsPolicy(javascript)).toMatchObject({ ok: true, from: 'memory' });
    forgetWebpackResults();
    const fromDisk = webpackLikeJsPolicy(javascript);
    expect(fromDisk).toMatchObject({ ok: true, from: 'disk' });
    expect(fromDisk.ms).toBeLessThan(200);
    expect(webpackCounters).toEqual({ webpack: before.webpack + 1, memory: before.memory + 1, disk: before.disk + 1 });
    expect(webpackLikeJsPolicy(`${javascript} `)).toMatchObject({ from: 'webpack' });
  });

  it("jsPolicy's timeout: the command is killed, the text is Go's, nothing is cached, the next compile works", T, () => {
    const javascript = `/* ${randomUUID()} */ allow()`;
    expect(webpackLikeJsPolicy(javascript, { timeoutMs: 1 })).toMatchObject({
      ok: false,
      from: 'webpack',
      message: 'error bundling javascript: the command webpack-cli --config webpack.config.js timed out after 1ms',
    });
    expect(webpackLikeJsPolicy(javascript)).toMatchObject({ ok: true, from: 'webpack' });
    expect(goDuration(30_000)).toBe('30s');
    expect(goDuration(1_500)).toBe('1.5s');
    expect(goDuration(90_000)).toBe('1m30s');
  });

  it("jsPolicy's webpack.config.js, verbatim", () => {
    expect(JSPOLICY_WEBPACK_CONFIG).toBe(
      "const path = require('path');\n\nmodule.exports = {\n    mode: 'production',\n    entry: './index.js',\n    output: {\n        path: path.resolve(__dirname, 'dist'),\n        filename: 'bundle.js',\n        libraryTarget: 'commonjs',\n    },\n};",
    );
  });
});
