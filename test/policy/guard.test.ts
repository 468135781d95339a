// The guard wrapper, run through the local jsPolicy runtime (tools/runtime): halting calls keep their
// verdicts, code errors fail open (or become marked denials), and nothing the candidate passes to
// deny/warn/mutate can make jsPolicy's typed decoding of __response fail.
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, JsPolicy, JsPolicySpec, KubeObject } from '../../lib/k8s/types.ts';
import {
  CANDIDATE_BEGIN,
  CANDIDATE_END,
  MAX_MESSAGE_LENGTH,
  MAX_WARNINGS,
  PATCH_REFUSED_PREFIX,
  POLICY_ERROR_CODE,
  POLICY_ERROR_MESSAGE_PREFIX,
  POLICY_ERROR_REASON,
  guardReportsErrors,
  isPolicyErrorReport,
  policyErrorOf,
  unwrapGuard,
  wrapWithGuard,
} from '../../lib/policy/guard.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';
import { runPolicyScript } from '../../tools/runtime/vm/index.ts';
import type { PolicyViolation } from '../../tools/runtime/webhook/audit.ts';
import { admit } from '../../tools/runtime/webhook/admit.ts';
import { JSPOLICY_V8 } from '../fixtures/engine.ts';
import { OPEN_SCOPE } from '../fixtures/guard.ts';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const now = (): number => NOW;
const NAME = 'p.example.com';

const podObject = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'team', labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
});

const createRequest = (): AdmissionRequest => ({
  uid: 'uid-1',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  name: 'web',
  namespace: 'team',
  operation: 'CREATE',
  userInfo: { username: 'alice', uid: 'alice-uid' },
  object: podObject(),
  oldObject: null,
  options: null,
});

/** DELETE: object is null, so `request.object.metadata` throws a TypeError. */
const deleteRequest = (): AdmissionRequest => ({ ...createRequest(), operation: 'DELETE', object: null, oldObject: podObject() });

const guarded = (javascript: string, reportErrors: boolean, spec: JsPolicySpec = {}): JsPolicy => ({
  apiVersion: 'policy.jspolicy.com/v1beta1',
  kind: 'JsPolicy',
  metadata: { name: NAME },
  spec: {
    operations: ['CREATE', 'DELETE'],
    resources: ['pods'],
    javascript: wrapWithGuard(javascript, { reportErrors, scope: OPEN_SCOPE, ...(spec.type === 'Mutating' ? { mutable: ['metadata.labels'] } : {}) }),
    ...spec,
  },
});

const newCluster = (): InMemoryCluster => new InMemoryCluster({ now, objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }] });

const violations = (cluster: InMemoryCluster): PolicyViolation[] =>
  ((cluster.get('policy.jspolicy.com/v1beta1', 'JsPolicyViolations', undefined, NAME)?.status as { violations?: PolicyViolation[] } | undefined)?.violations ??
    []);

const run = (javascript: string, reportErrors = false, request: AdmissionRequest = createRequest()) =>
  runPolicyScript({ policyName: NAME, javascript: wrapWithGuard(javascript, { reportErrors, scope: OPEN_SCOPE }), request, now });

const BOTH = [false, true];

describe('guard: verdicts the candidate reaches are unchanged (halting is uncatchable)', () => {
  it.each(BOTH)('deny keeps message, reason and a valid code (reportErrors %s)', (reportErrors) => {
    const outcome = admit(guarded('warn("w"); deny("no pods here", "Invalid", 422); allow()', reportErrors), createRequest());
    expect(outcome).toMatchObject({ allowed: false, code: 422, reason: 'Invalid', message: 'no pods here', warnings: ['[p.example.com]: w'] });
    expect(outcome.error).toBeUndefined();
    expect(outcome.violation).toEqual({ kind: 'deny', code: 422, reason: 'Invalid', message: 'no pods here' });
  });

  it.each(BOTH)('deny() without a reason or code → 403 Forbidden (reportErrors %s)', (reportErrors) => {
    expect(admit(guarded('deny("m")', reportErrors), createRequest())).toMatchObject({ allowed: false, code: 403, reason: 'Forbidden', message: 'm' });
  });

  it.each(BOTH)('allow stays allow, warnings kept, nothing after it runs (reportErrors %s)', (reportErrors) => {
    const outcome = admit(guarded('warn("w"); allow(); deny("never")', reportErrors), createRequest());
    expect(outcome).toMatchObject({ allowed: true, warnings: ['[p.example.com]: w'] });
    expect(outcome.violation).toBeUndefined();
  });

  it('the candidate ending without a verdict is an allow', () => {
    expect(run('var x = request.object.metadata.name;')).toEqual({ kind: 'completed', response: {}, durationMs: expect.any(Number), v8: JSPOLICY_V8, engineMs: expect.any(Object) });
  });

  it("a halt inside the candidate's own try/catch/finally, or the guard's, is not caught", () => {
    const outcome = admit(guarded('try { deny("inner") } catch (e) { allow() } finally { allow() }', true), createRequest());
    expect(outcome).toMatchObject({ allowed: false, code: 403, message: 'inner' });
    expect(admit(guarded('try { allow() } finally { deny("x") }', true), createRequest())).toMatchObject({ allowed: true });
  });

  it.each(BOTH)('mutate(obj) in a Mutating policy still patches (reportErrors %s)', (reportErrors) => {
    const outcome = admit(
      guarded('var o = request.object; o.metadata.labels.team = "a"; mutate(o); deny("never")', reportErrors, { type: 'Mutating' }),
      createRequest(),
    );
    expect(outcome.allowed).toBe(true);
    expect(outcome.patch).toEqual([{ op: 'add', path: '/metadata/labels/team', value: 'a' }]);
    expect(outcome.patchedObject?.metadata.labels).toEqual({ app: 'web', team: 'a' });
  });

  it('request is readable, `this` is undefined (the candidate is strict), `exports` and print() are the globals', () => {
    const lines: string[] = [];
    const outcome = runPolicyScript({
      policyName: NAME,
      javascript: wrapWithGuard('print(request.operation); exports.x = 1; deny(String(this === undefined && globalThis.exports.x === 1))', { reportErrors: false, scope: OPEN_SCOPE }),
      request: createRequest(),
      log: (line) => lines.push(line),
    });
    expect(outcome).toMatchObject({ kind: 'completed', response: { deny: true, message: 'true' } });
    expect(lines).toEqual([`[${NAME}] CREATE`]);
  });

  it('the candidate runs strict, as in the sandbox: an undeclared assignment is a code error', () => {
    expect(run('undeclared = 5; deny(typeof undeclared)', true)).toMatchObject({
      kind: 'completed',
      response: { deny: true, reason: 'PolicyError', message: `${POLICY_ERROR_MESSAGE_PREFIX}ReferenceError: undeclared is not defined` },
    });
    // Unwrapped, jsPolicy runs it sloppy (the bundle follows `var request = …;`): the guard is what makes it strict.
    expect(runPolicyScript({ policyName: NAME, javascript: 'undeclared = 5; deny(typeof undeclared)', request: createRequest() })).toMatchObject({
      response: { deny: true, message: 'number' },
    });
  });

  it('a trailing line comment and function declarations used before they appear work', () => {
    expect(run('deny("c") // the end')).toMatchObject({ response: { deny: true, message: 'c' } });
    expect(run('deny(f())\nfunction f() { return "hoisted" } // no newline at the end')).toMatchObject({ response: { deny: true, message: 'hoisted' } });
  });
});

describe('guard: code errors fail open, or are reported as marked denials', () => {
  const faulty = 'if (request.object.metadata.labels.app !== "web") deny("wrong app")';

  it('unguarded, the TypeError of request.object.metadata on a DELETE rejects the request (500)', () => {
    const policy = guarded('', false);
    policy.spec.javascript = faulty;
    expect(admit(policy, deleteRequest())).toMatchObject({ allowed: false, code: 500, error: expect.stringMatching(/^Uncaught TypeError/) });
  });

  it('reportErrors false: the TypeError → allowed, silently, nothing recorded', () => {
    const cluster = newCluster();
    const outcome = admit(guarded(`warn("before"); ${faulty}`, false), deleteRequest(), { cluster, now });
    expect(outcome).toMatchObject({ matched: true, allowed: true, warnings: ['[p.example.com]: before'] });
    expect(outcome.error).toBeUndefined();
    expect(outcome.violation).toBeUndefined();
    expect(violations(cluster)).toEqual([]);
  });

  it('reportErrors true: the TypeError → denied with the marker reason and code 500 (not a jsPolicy error)', () => {
    const outcome = admit(guarded(faulty, true), deleteRequest());
    expect(outcome).toMatchObject({ allowed: false, code: POLICY_ERROR_CODE, reason: POLICY_ERROR_REASON });
    expect(outcome.error).toBeUndefined();
    expect(outcome.message).toMatch(/^gptpolicy: policy error: TypeError: Cannot read properties of null \(reading 'metadata'\)$/);
    expect(outcome.violation?.kind).toBe('deny');
    expect(isPolicyErrorReport(outcome as { code: number; reason: string; message: string })).toBe(true);
  });

  it('violationPolicy Dry + reportErrors: the marked denial is allowed AND recorded in JsPolicyViolations', () => {
    const cluster = newCluster();
    const outcome = admit(guarded(faulty, true, { violationPolicy: 'Dry' }), deleteRequest(), { cluster, now });
    expect(outcome).toMatchObject({ matched: true, allowed: true, warnings: [] });
    const recorded = violations(cluster);
    expect(recorded).toEqual([
      {
        action: 'Dry',
        code: 500,
        reason: 'PolicyError',
        message: "gptpolicy: policy error: TypeError: Cannot read properties of null (reading 'metadata')",
        requestInfo: { name: 'web', namespace: 'team', kind: 'Pod', apiVersion: 'v1', operation: 'DELETE' },
        userInfo: { username: 'alice', uid: 'alice-uid' },
        timestamp: '2024-05-01T12:00:00Z',
      },
    ]);
    expect(recorded.map(isPolicyErrorReport)).toEqual([true]);
    expect(policyErrorOf(recorded[0])).toBe("TypeError: Cannot read properties of null (reading 'metadata')");
  });

  it('violationPolicy Warn + reportErrors: allowed with the report as a warning, recorded as Warn', () => {
    const cluster = newCluster();
    const outcome = admit(guarded(faulty, true, { violationPolicy: 'Warn' }), deleteRequest(), { cluster, now });
    expect(outcome).toMatchObject({ allowed: true, warnings: [`[${NAME}]: ${POLICY_ERROR_MESSAGE_PREFIX}TypeError: Cannot read properties of null (reading 'metadata')`] });
    expect(violations(cluster).map((v) => [v.action, v.code, v.reason, isPolicyErrorReport(v)])).toEqual([['Warn', 500, 'PolicyError', true]]);
  });

  it('a denial the candidate decides is not mistaken for a report', () => {
    const cluster = newCluster();
    admit(guarded('deny("wrong app", "Invalid", 500)', true, { violationPolicy: 'Dry' }), createRequest(), { cluster, now });
    expect(violations(cluster).map(isPolicyErrorReport)).toEqual([false]);
  });

  it.each([
    ['a thrown string', 'throw "plain"', 'plain'],
    ["get()'s thrown {reason, message, toString}", 'throw {reason: "NotFound", message: "m", toString: function () { return this.reason + ": " + this.message }}', 'NotFound: m'],
    ['an unprintable thrown value', 'throw Object.create(null)', 'unprintable thrown value'],
    ['a thrown value whose toString throws', 'throw {toString: function () { throw new Error("no") }}', 'unprintable thrown value'],
    ['an error after String was reassigned', 'String = function () { return 1 }; null.x', "TypeError: Cannot read properties of null (reading 'x')"],
  ])('reports %s', (_name, javascript, text) => {
    expect(run(javascript, true)).toMatchObject({ kind: 'completed', response: { deny: true, reason: 'PolicyError', code: 500, message: POLICY_ERROR_MESSAGE_PREFIX + text } });
    expect(run(javascript, false)).toMatchObject({ kind: 'completed', response: {} });
  });

  it('the candidate redefining deny/exit/allow affects only its own calls', () => {
    // Its own deny() no longer denies, but the guard's report still does and still halts.
    expect(run('deny = function () {}; exit = function () {}; allow = function () {}; deny("x"); allow(); null.y', true)).toMatchObject({
      response: { deny: true, reason: 'PolicyError', message: `${POLICY_ERROR_MESSAGE_PREFIX}TypeError: Cannot read properties of null (reading 'y')` },
    });
    // jsPolicy's deny() calls the global exit: the candidate's `exit = …` did not reach it.
    expect(run('exit = function () {}; function warn() {} var mutate = 1; deny("still"); deny("second")')).toMatchObject({ response: { deny: true, message: 'still' } });
  });

  it('an error in async code is dropped (no 500), as V8 drops unhandled rejections', () => {
    expect(run('(async function () { null.x })()', true)).toEqual(expect.objectContaining({ kind: 'completed', response: {} }));
  });
});

describe('guard: what deny/warn/mutate receive is coerced, so __response always decodes', () => {
  it('deny(new Error("x")) → denied with message "x", not a 500', () => {
    expect(admit(guarded('deny(new Error("x"), new TypeError("Invalid"))', false), createRequest())).toMatchObject({
      allowed: false,
      code: 403,
      reason: 'Invalid',
      message: 'x',
    });
  });

  it.each([['"400"'], ['400.5'], ['200'], ['600'], ['NaN'], ['Infinity'], ['null'], ['{}']])('deny("m", "r", %s) → a valid denial with the default code', (code) => {
    const outcome = admit(guarded(`deny("m", "r", ${code})`, false), createRequest());
    expect(outcome).toMatchObject({ allowed: false, code: 403, reason: 'r', message: 'm' });
    expect(outcome.error).toBeUndefined();
  });

  it('deny(5, 6, 400) and deny(null) decode; unguarded deny(5) is a 500', () => {
    expect(run('deny(5, 6, 400)')).toMatchObject({ response: { deny: true, message: '5', reason: '6', code: 400 } });
    expect(run('deny(null)')).toMatchObject({ kind: 'completed', response: { deny: true } });
    expect(runPolicyScript({ policyName: NAME, javascript: 'deny(5)', request: createRequest() }).kind).toBe('error');
  });

  it('warn(5) → warning "5"; warn({}) and warn(new Error("e")) decode too', () => {
    const outcome = admit(guarded('warn(5); warn({}); warn(new Error("e")); warn(true)', false), createRequest());
    expect(outcome).toMatchObject({ allowed: true, warnings: ['[p.example.com]: 5', '[p.example.com]: [object Object]', '[p.example.com]: e', '[p.example.com]: true'] });
  });

  it.each([['"x"'], ['[request.object]'], ['null'], ['undefined'], ['5'], ['function () {}'], ['new Date(0)']])(
    'mutate(%s) in a Mutating policy → allowed, no patch',
    (arg) => {
      const outcome = admit(guarded(`mutate(${arg}); deny("never")`, true, { type: 'Mutating' }), createRequest());
      expect(outcome).toMatchObject({ allowed: true, warnings: [] });
      expect(outcome.patch).toBeUndefined();
      expect(outcome.error).toBeUndefined();
    },
  );

  it('mutate() of an object JSON cannot write (BigInt) is a code error: allow, or a report', () => {
    const js = 'var o = request.object; o.metadata.labels.n = 1n; mutate(o)';
    expect(admit(guarded(js, false, { type: 'Mutating' }), createRequest())).toMatchObject({ allowed: true });
    expect(admit(guarded(js, true, { type: 'Mutating' }), createRequest())).toMatchObject({ allowed: false, code: 500, reason: 'PolicyError' });
  });

  it('mutate() patches with what JSON.stringify writes (toJSON, undefined fields), like jsPolicy', () => {
    const js = 'var o = request.object; o.metadata.labels.when = new Date(0); o.metadata.labels.gone = undefined; mutate(o)';
    expect(admit(guarded(js, false, { type: 'Mutating' }), createRequest()).patch).toEqual([
      { op: 'add', path: '/metadata/labels/when', value: '1970-01-01T00:00:00.000Z' },
    ]);
  });

  it('requeue(5) is an allow in a guarded (webhook) policy, never a 500', () => {
    expect(run('requeue(5); deny("never")')).toMatchObject({ kind: 'completed', response: {} });
    expect(runPolicyScript({ policyName: NAME, javascript: 'requeue(5)', request: createRequest() }).kind).toBe('error');
  });

  it.each([['__response = 7'], ['var __response = null'], ['__response = {deny: 5, warnings: "w", patched: [1]}']])(
    'the candidate assigning %s changes only its own __response: no 500, its verdicts still count',
    (javascript) => {
      const outcome = admit(guarded(javascript, false), createRequest());
      expect(outcome).toMatchObject({ allowed: true, warnings: [] });
      expect(outcome.error).toBeUndefined();
      expect(admit(guarded(`${javascript}; warn("w"); deny("d")`, false), createRequest())).toMatchObject({ allowed: false, code: 403, message: 'd', warnings: [`[${NAME}]: w`] });
    },
  );

  it.each([['__response.deny = 5'], ['__response.warnings = "w"; __response.patched = [1]']])(
    'the candidate writing %s hits its own (undefined) __response: a code error, never a 500',
    (javascript) => {
      const outcome = admit(guarded(javascript, false), createRequest());
      expect(outcome).toMatchObject({ allowed: true, warnings: [] });
      expect(outcome.error).toBeUndefined();
      expect(run(javascript, true)).toMatchObject({
        kind: 'completed',
        response: { deny: true, code: 500, reason: 'PolicyError', message: expect.stringMatching(/^gptpolicy: policy error: TypeError: Cannot set properties of undefined/) },
      });
    },
  );
});

describe('guard: the emitted text', () => {
  it('unwrapGuard round-trips the candidate exactly, markers inside it included', () => {
    const candidates = [
      '',
      'deny("x")',
      'deny("x") // trailing comment',
      `// ${CANDIDATE_END}\n});\n/* ${CANDIDATE_BEGIN} */ allow()\n`,
      `var s = "${CANDIDATE_END}\\n});\\n";`,
      '\n\n  "use strict";\n',
    ];
    for (const js of candidates) {
      for (const reportErrors of BOTH) {
        const wrapped = wrapWithGuard(js, { reportErrors, scope: OPEN_SCOPE });
        expect(unwrapGuard(wrapped)).toBe(js);
        expect(guardReportsErrors(wrapped)).toBe(reportErrors);
        expect(wrapWithGuard(unwrapGuard(wrapped) ?? '', { reportErrors, scope: OPEN_SCOPE })).toBe(wrapped);
      }
    }
  });

  it('unwrapGuard answers undefined for unguarded or damaged scripts', () => {
    expect(unwrapGuard('deny("x")')).toBeUndefined();
    expect(unwrapGuard(`${CANDIDATE_BEGIN}\ndeny("x")\n${CANDIDATE_END}\n});\n`)).toBeUndefined();
    const wrapped = wrapWithGuard('deny("x")', { reportErrors: false, scope: OPEN_SCOPE });
    expect(unwrapGuard(wrapped.slice(0, -2))).toBeUndefined();
    expect(unwrapGuard(wrapped.replace(`\n${CANDIDATE_BEGIN}\n`, '\n'))).toBeUndefined();
    expect(guardReportsErrors('allow()')).toBeUndefined();
  });

  it('is deterministic and the wrapper itself is ES5 script syntax (V8 9.6, webpack)', () => {
    for (const reportErrors of BOTH) {
      const wrapped = wrapWithGuard('', { reportErrors, scope: OPEN_SCOPE });
      expect(wrapWithGuard('', { reportErrors, scope: OPEN_SCOPE })).toBe(wrapped);
      expect(() => parse(wrapped, { ecmaVersion: 5, sourceType: 'script' })).not.toThrow();
    }
  });

  it('a candidate with a syntax error still fails the whole script (the caller must parse it first)', () => {
    expect(run('deny("x"').kind).toBe('error');
  });
});

describe('guard: bounds the candidate cannot move', () => {
  it('deny message and reason are cut to MAX_MESSAGE_LENGTH, warnings to MAX_WARNINGS', () => {
    const outcome = run(`for (var i = 0; i < 12; i++) warn("w" + i); deny(new Array(3000).join("m"), new Array(3000).join("r"))`);
    expect(outcome).toMatchObject({ kind: 'completed', response: { deny: true } });
    const response = (outcome as { response: { message: string; reason: string; warnings: string[] } }).response;
    expect([response.message.length, response.reason.length]).toEqual([MAX_MESSAGE_LENGTH, MAX_MESSAGE_LENGTH]);
    expect(response.warnings).toEqual(Array.from({ length: MAX_WARNINGS }, (_, i) => `w${i}`));
  });

  it("globalThis.deny/warn are the guard's coercing versions, and globalThis.__response is read-only", () => {
    expect(run('globalThis.deny(5, 6, "400")')).toMatchObject({ kind: 'completed', response: { deny: true, message: '5', reason: '6' } });
    expect(run('globalThis.__response.deny = 5', true)).toMatchObject({
      response: { reason: 'PolicyError', message: expect.stringContaining('TypeError: Cannot set property deny of [object Object] which has only a getter') },
    });
    expect(run('Object.defineProperty(globalThis.__response, "toJSON", { value: function () { return { deny: true } } })', true)).toMatchObject({
      response: { reason: 'PolicyError', message: expect.stringContaining('Cannot define property toJSON, object is not extensible') },
    });
    expect(run('globalThis.__response = {}; globalThis.deny = function () {}', true)).toMatchObject({ response: { reason: 'PolicyError', message: expect.stringContaining('read only') } });
  });

  it('the first verdict stays: a job left by an async function cannot change it', () => {
    const js = '(async function () { await 0; deny("late"); })(); (async function () { await 0; warn("late"); })(); deny("first")';
    expect(run(js)).toMatchObject({ kind: 'completed', response: { deny: true, message: 'first' } });
    expect(run('(async function () { await 0; deny("late") })()')).toEqual(expect.objectContaining({ response: {} }));
  });

  it('a patch outside the fields the intent names is not applied: allowed, and a line is printed', () => {
    const lines: string[] = [];
    const policy = guarded('var o = request.object; o.spec.containers[0].image = "evil"; o.metadata.labels.team = "a"; mutate(o)', true, { type: 'Mutating' });
    const outcome = admit(policy, createRequest(), { log: (line) => lines.push(line) });
    expect(outcome).toMatchObject({ allowed: true });
    expect(outcome.patch).toBeUndefined();
    expect(lines).toEqual([`[${NAME}] ${PATCH_REFUSED_PREFIX}spec.containers[0].image (image)`]);
    expect(admit(guarded('var o = request.object; o.spec.nodeName = "n1"; mutate(o)', true, { type: 'Mutating' }), createRequest()).patch).toBeUndefined();
  });
});
