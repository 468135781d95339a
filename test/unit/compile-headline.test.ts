import { describe, expect, it } from 'vitest';
import { compileFailure, compileHeadline } from '../../lib/controller/compile-feedback.ts';
import type { JsPolicy } from '../../lib/k8s/types.ts';

// jsPolicy's CompileFailed message, as the local runtime's jsPolicy writes it (test/runtime/jspolicy-webpack.test.ts).
const SYNTAX_ERROR =
  'error bundling javascript: assets by status 370 bytes [cached] 1 asset\n' +
  './index.js 8 bytes [built] [code generated] [1 error]\n\n' +
  'ERROR in ./index.js 1:8\n' +
  'Module parse failed: Unexpected token (1:8)\n' +
  'You may need an appropriate loader to handle this file type, currently no loaders are configured to process this file. See https://webpack.js.org/concepts#loaders\n' +
  '> deny("x"\n\n' +
  'webpack 5.75.0 compiled with 1 error in 12 ms\n' +
  ' exit status 1';

// `a <!--b; require("/var/run/secrets/…/token")`: V8 reads a comment, webpack reads the file and quotes it.
const SECRET = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IlNFQ1JFVCJ9.c2VjcmV0LXRva2Vu';
const FILE_READ =
  'error bundling javascript: assets by status 412 bytes [cached] 1 asset\n' +
  'orphan modules 40 bytes [orphan] 1 module\n' +
  './index.js + 1 modules 120 bytes [built] [code generated]\n\n' +
  'ERROR in ../../var/run/secrets/kubernetes.io/serviceaccount/token 1:4\n' +
  'Module parse failed: Unexpected token (1:4)\n' +
  'You may need an appropriate loader to handle this file type, currently no loaders are configured to process this file. See https://webpack.js.org/concepts#loaders\n' +
  `> ${SECRET}\n` +
  '| second line of the file\n' +
  ' @ ./index.js 1:9-60\n\n' +
  'webpack 5.75.0 compiled with 1 error in 31 ms\n' +
  ' exit status 1';

describe('compileHeadline: one line of webpack output, never a code frame', () => {
  it('keeps the parse error of a multi-line webpack error with a code frame', () => {
    expect(compileHeadline(SYNTAX_ERROR)).toBe('Module parse failed: Unexpected token (1:8)');
  });

  it('a file read through webpack leaves neither its content nor its path in the headline', () => {
    const headline = compileHeadline(FILE_READ);
    expect(headline).toBe('Module parse failed: Unexpected token (1:4)');
    expect(headline).not.toContain(SECRET.slice(0, 8));
    expect(headline).not.toContain('second line');
  });

  it('a JSON module: the text a parse error quotes is cut', () => {
    const text = `ERROR in ./config.json\nModule parse failed: Unexpected token "e" (0x65) in JSON at position 0 while parsing near '${SECRET}'\n> ${SECRET}`;
    expect(compileHeadline(text)).toBe('Module parse failed: Unexpected token "e" (0x65) in JSON at position 0');
  });

  it('module not found and timeouts keep their line; numbered and caret frames are dropped', () => {
    expect(compileHeadline("error bundling javascript: ERROR in ./index.js 1:0-20\nModule not found: Error: Can't resolve 'left-pad' in '/tmp/1234'\n  1 | require('left-pad')\n    ^\n exit status 1")).toBe(
      "Module not found: Error: Can't resolve 'left-pad' in '/tmp/1234'",
    );
    expect(compileHeadline('error bundling javascript: the command webpack-cli --config webpack.config.js timed out after 30s')).toBe('the command webpack-cli --config webpack.config.js timed out after 30s');
    expect(compileHeadline('> only a frame\n| and more')).toBe('no message');
    expect(compileHeadline(`Error: ${'x'.repeat(5000)}`).length).toBe(300);
  });

  it('compileFailure hands on only the headline', () => {
    const policy = {
      apiVersion: 'policy.jspolicy.com/v1beta1',
      kind: 'JsPolicy',
      metadata: { name: 'p.gptpolicy.dev', generation: 2 },
      spec: {},
      status: { observedGeneration: 2, conditions: [{ type: 'BundleCompiled', status: 'False', reason: 'CompileFailed', message: FILE_READ }] },
    } as unknown as JsPolicy;
    expect(compileFailure(policy)).toBe('Module parse failed: Unexpected token (1:4)');
  });
});
