// Time escapes: built-ins jsPolicy's timeout cannot stop (lib/lint/unbounded-builtins.ts, from the
// probe), and the serialization of __response that runs outside the timeout (a toJSON).
// Ungated ones would hang the controller's own run (the sandbox runs the answer's tests, the preview
// runs the policy over existing objects); gated ones wait for the emitted policy in the cluster.
import type { CorpusCase } from '../harness.ts';
import { DENY_PROD, pod, podAnswer, podObjects, POD_INTENT } from './common.ts';
import { SUBSET_RULES } from './rules.ts';

const refused = { refused: { rules: SUBSET_RULES } };
const base = { class: 'time escape', intent: POD_INTENT, objects: podObjects(), controllerTimeoutSeconds: 4, admissionTimeoutSeconds: 1, defence: 'lint: JS subset / unbounded built-ins (lib/lint/subset.ts + unbounded-builtins.ts)' };
// No loop (the loop rules would refuse it for that alone): 2 ** 40 calls by recursion, outside the timeout.
const SPIN = 'function spin(n) { return n > 0 ? spin(n - 1) + spin(n - 1) : 0; } ';
const gatedAdmission = [{ object: pod('test', { env: 'dev' }, { hang: 'yes' }, 'trigger') }];

export const TIME_CASES: CorpusCase[] = [
  { ...base, name: 'includes over {length: 2**40}, ungated', answer: podAnswer(`Array.prototype.includes.call({ length: 2 ** 40 }, 1); ${DENY_PROD}`), expect: refused },
  { ...base, name: 'includes over {length: 2**40}, only in the cluster (annotation gate)', answer: podAnswer(`if (request.object?.metadata?.annotations?.hang) { [].includes.call({ length: 2 ** 40 }, 1); } ${DENY_PROD}`), expect: refused, admissions: gatedAdmission },
  { ...base, name: 'includes through an alias and Reflect.apply', answer: podAnswer(`const inc = [].includes; if (request.object?.metadata?.annotations?.hang) { Reflect.apply(inc, { length: 2 ** 40 }, [1]); } ${DENY_PROD}`), expect: refused, admissions: gatedAdmission },
  { ...base, name: 'a computed method name', answer: podAnswer(`const m = 'incl' + 'udes'; if (request.object?.metadata?.annotations?.hang) { Array.prototype[m].call({ length: 2 ** 40 }, 1); } ${DENY_PROD}`), expect: refused, admissions: gatedAdmission },
  { ...base, name: 'a length read from the request', answer: podAnswer(`const n = Number(request.object?.metadata?.annotations?.n || 0); [].indexOf.call({ length: n }, 1); ${DENY_PROD}`), expect: refused, admissions: [{ object: pod('test', { env: 'dev' }, { n: String(2 ** 40) }, 'trigger') }] },
  { ...base, name: 'Array.from({length: 2**31})', answer: podAnswer(`if (request.object?.metadata?.annotations?.hang) { Array.from({ length: 2 ** 31 }); } ${DENY_PROD}`), expect: refused, admissions: gatedAdmission },
  { ...base, name: 'fill over an array-like', answer: podAnswer(`if (request.object?.metadata?.annotations?.hang) { Array.prototype.fill.call({ length: 2 ** 40 }, 0); } ${DENY_PROD}`), expect: refused, admissions: gatedAdmission },
  { ...base, name: 'join over a sparse array', answer: podAnswer(`if (request.object?.metadata?.annotations?.hang) { const a = []; a.length = 2 ** 32 - 1; a.join(','); } ${DENY_PROD}`), expect: refused, admissions: gatedAdmission },
  { ...base, name: 'every over new Array(2**32 - 1), ungated (hangs the sandbox run)', answer: podAnswer(`new Array(2 ** 32 - 1).every(() => true); ${DENY_PROD}`), expect: refused },
  { ...base, name: 'toJSON on Object.prototype (serialization outside the timeout)', answer: podAnswer(`${SPIN}if (request.object?.metadata?.annotations?.hang) { Object.prototype.toJSON = function () { return spin(40); }; } ${DENY_PROD}`), expect: refused, admissions: gatedAdmission },
  { ...base, name: 'toJSON through defineProperty on ({}).__proto__', answer: podAnswer(`${SPIN}Object.defineProperty(({}).__proto__, 'toJSON', { get() { return () => spin(40); } }); ${DENY_PROD}`), expect: refused },
  { ...base, name: 'toJSON on the response object', answer: podAnswer(`${SPIN}if (request.object?.metadata?.annotations?.hang) { __response.toJSON = () => spin(40); } ${DENY_PROD}`), expect: refused, admissions: gatedAdmission },
];
