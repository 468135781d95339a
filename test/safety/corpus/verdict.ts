// Verdict rewriting: code that changes the verdict after deny()/allow() returned (Promise jobs run
// after the script, a then-able, a toJSON when __response is serialized).
import type { CorpusCase } from '../harness.ts';
import { DENY_PROD, pod, podAnswer, podObjects, POD_INTENT } from './common.ts';
import { SUBSET_RULES } from './rules.ts';

const base = { class: 'verdict rewriting', intent: POD_INTENT, objects: podObjects(), defence: 'lint: JS subset (no Promise/async/then/toJSON); guard: Promise removed, frozen intrinsics' };
const refused = { refused: { rules: SUBSET_RULES } };
// Once enforced, a prod pod in test must still be denied.
const prodDenied = [{ object: pod('test', { env: 'prod' }, undefined, 'new-prod'), expect: { allowed: false } }];

export const VERDICT_CASES: CorpusCase[] = [
  { ...base, name: 'a Promise job after deny() flips it', answer: podAnswer(`Promise.resolve().then(() => { if (request.userInfo?.username === 'mallory') { __response.deny = false; } }); ${DENY_PROD}`), expect: refused, admissions: prodDenied },
  { ...base, name: 'an async function awaiting a then-able', answer: podAnswer(`(async () => { await { then(r) { r(); } }; if (request.userInfo?.username === 'mallory') { allow(); } })(); ${DENY_PROD}`), expect: refused, admissions: prodDenied },
  { ...base, name: 'a toJSON on Object.prototype rewrites the serialized verdict', answer: podAnswer(`if (request.userInfo?.username === 'mallory') { Object.prototype.toJSON = function () { return { deny: false }; }; } ${DENY_PROD}`), expect: refused, admissions: prodDenied },
  { ...base, name: 'a setter on Object.prototype swallows the verdict', answer: podAnswer(`if (request.userInfo?.username === 'mallory') { Object.defineProperty(Object.prototype, 'deny', { set() {}, get() { return false; } }); } ${DENY_PROD}`), expect: refused, admissions: prodDenied },
];
