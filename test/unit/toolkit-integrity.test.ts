import { describe, expect, it } from 'vitest';
import { loadToolkitFrom } from '../../lib/platform/toolkit.ts';
import { sha256Hex } from '../../lib/util/sha256.ts';

describe('loading the toolkit from its ConfigMap', () => {
  const source = 'var __gptpolicyToolkit = { marker: 42 };';

  it('evaluates exactly the code the controller was built with', () => {
    expect(loadToolkitFrom(() => ({ data: { 'toolkit.js': source } }), 'jspolicy', sha256Hex(source))).toEqual({ marker: 42 });
  });

  it('refuses other code, before evaluating anything', () => {
    const evil = "globalThis.pwned = true; var __gptpolicyToolkit = {};";
    expect(() => loadToolkitFrom(() => ({ data: { 'toolkit.js': evil } }), 'jspolicy', sha256Hex(source))).toThrow('ConfigMap jspolicy/gptpolicy-toolkit is not the toolkit this controller was built with');
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
  });

  it('says how to fix a missing ConfigMap', () => {
    expect(() => loadToolkitFrom(() => undefined, 'jspolicy', 'x')).toThrow('apply manifests/gptpolicy-controller.yaml');
  });
});
