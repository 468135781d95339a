import { describe, expect, it } from 'vitest';
import { runPolicyScript } from '../../tools/runtime/vm/index.ts';
import { JSPOLICY_V8 } from '../fixtures/engine.ts';

const run = (javascript: string) => runPolicyScript({ policyName: 'resp.test.com', javascript, request: {} });

describe('__response is decoded like Go json.Unmarshal into handler.go Response', () => {
  it('deny(message, reason, code) is a valid response', () => {
    expect(run(`deny('m', 'r', 400)`)).toMatchObject({ kind: 'completed', response: { deny: true, message: 'm', reason: 'r', code: 400 } });
  });

  it('deny() without arguments: undefined fields are dropped by JSON.stringify', () => {
    expect(run(`deny()`)).toMatchObject({ kind: 'completed', response: { deny: true } });
  });

  it('a script that just ends is an allow with an empty response', () => {
    expect(run(`var x = 1;`)).toMatchObject({ kind: 'completed', response: {} });
  });

  it.each([
    [`deny(new Error('x'))`, 'json: cannot unmarshal object into Go struct field Response.message of type string'],
    [`deny('m', 'r', '400')`, 'json: cannot unmarshal string into Go struct field Response.code of type int'],
    [`deny('m', 'r', 400.5)`, 'json: cannot unmarshal number 400.5 into Go struct field Response.code of type int'],
    [`deny('m', 'r', 1e21)`, 'json: cannot unmarshal number 1e+21 into Go struct field Response.code of type int'],
    [`deny(5)`, 'json: cannot unmarshal number into Go struct field Response.message of type string'],
    [`deny('m', true)`, 'json: cannot unmarshal bool into Go struct field Response.reason of type string'],
    [`warn(5)`, 'json: cannot unmarshal number into Go struct field Response.warnings of type string'],
    [`mutate('x')`, 'json: cannot unmarshal string into Go struct field Response.patched of type map[string]interface {}'],
    [`mutate([1])`, 'json: cannot unmarshal array into Go struct field Response.patched of type map[string]interface {}'],
    [`mutate(7)`, 'json: cannot unmarshal number into Go struct field Response.patched of type map[string]interface {}'],
    [`__response.deny = 'yes'`, 'json: cannot unmarshal string into Go struct field Response.deny of type bool'],
    [`__response.warnings = 'w'`, 'json: cannot unmarshal string into Go struct field Response.warnings of type []string'],
    [`__response = 5`, 'json: cannot unmarshal number into Go value of type webhook.Response'],
    [`__response = undefined`, "invalid character 'u' looking for beginning of value"],
    [`__response = {a: 1n}`, 'TypeError: Do not know how to serialize a BigInt'],
  ])('%s → error %s', (javascript, message) => {
    expect(run(javascript)).toMatchObject({ kind: 'error', message });
  });

  it('the first type error is reported, in key order', () => {
    expect(run(`__response = {code: 'a', message: 1}`)).toMatchObject({ message: expect.stringContaining('Response.code of type int') });
  });

  it('mutate(null) is fine and means not patched; mutate({}) is patched', () => {
    expect(run(`mutate(null)`)).toEqual({ kind: 'completed', response: {}, durationMs: expect.any(Number), v8: JSPOLICY_V8, engineMs: expect.any(Object) });
    expect(run(`mutate({})`)).toMatchObject({ kind: 'completed', response: { patched: {} } });
  });

  it('keys match case-insensitively and unknown keys are ignored, as in Go', () => {
    expect(run(`__response.DENY = true; __response.Message = 'hi'; __response.other = [1]`))
      .toMatchObject({ kind: 'completed', response: { deny: true, message: 'hi' } });
  });

  it('warn(undefined) and warn(null) become "" warnings (JSON null into a Go string)', () => {
    expect(run(`warn(undefined); warn(null); warn('x')`)).toMatchObject({ response: { warnings: ['', '', 'x'] } });
  });

  it('code 0 and negative codes are integers', () => {
    expect(run(`deny('m', 'r', 0)`)).toMatchObject({ kind: 'completed', response: { deny: true } });
    expect(run(`deny('m', 'r', -1)`)).toMatchObject({ kind: 'completed', response: { code: -1 } });
  });
});

describe('thrown values become jsPolicy error texts', () => {
  it('Error objects: "Uncaught " + stack, frames at the policy name, no host frames', () => {
    const outcome = run(`function f() { null.x } f()`);
    expect(outcome.kind).toBe('error');
    const message = (outcome as { message: string }).message;
    expect(message.split('\n')[0]).toBe("Uncaught TypeError: Cannot read properties of null (reading 'x')");
    expect(message).toMatch(/\n {4}at f \(resp\.test\.com:1:\d+\)\n {4}at resp\.test\.com:1:\d+$/);
  });

  it('thrown primitives are String(value), without "Uncaught"', () => {
    expect(run(`throw 'plain'`)).toMatchObject({ kind: 'error', message: 'plain' });
    expect(run(`throw 42`)).toMatchObject({ kind: 'error', message: '42' });
    expect(run(`throw {a: 1}`)).toMatchObject({ kind: 'error', message: '[object Object]' });
  });

  it("jsPolicy's thrown {reason, message} objects read '<reason>: <message>'", () => {
    // The get() wrapper always passes four arguments, so the arity check never fires through it.
    expect(run(`get('Pod', 'v1')`)).toMatchObject({
      kind: 'error',
      message: 'WrongArguments: kind, group version and name need to be string values',
    });
    expect(run(`__throw(__get('Pod', 'v1'))`)).toMatchObject({
      kind: 'error',
      message: 'WrongArguments: three arguments expected. Example get("Pod", "v1", "test")',
    });
  });

  it('syntax errors: "Uncaught SyntaxError: …"', () => {
    expect(run(`var = 1`)).toMatchObject({ kind: 'error', message: 'Uncaught SyntaxError: Unexpected token \'=\'' });
  });

  it('a policy cannot fake completion by throwing an error with Node\'s code', () => {
    const outcome = run(`throw Object.assign(new Error('fake'), {code: 'ERR_SCRIPT_EXECUTION_INTERRUPTED'})`);
    expect(outcome).toMatchObject({ kind: 'error', message: expect.stringMatching(/^Uncaught Error: fake/) });
  });
});
