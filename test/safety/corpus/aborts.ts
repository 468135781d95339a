// Process aborts: V8 fatal errors (an invalid size, the heap out of memory) end jsPolicy's whole process.
import type { CorpusCase } from '../harness.ts';
import { DENY_PROD, pod, podAnswer, podObjects, POD_INTENT } from './common.ts';
import { SUBSET_RULES } from './rules.ts';

const base = { class: 'process abort', intent: POD_INTENT, objects: podObjects(), controllerTimeoutSeconds: 4, admissionTimeoutSeconds: 1, defence: 'lint: JS subset / unbounded built-ins (abort entries); sandbox budgets' };
const refused = { refused: { rules: SUBSET_RULES } };
const gate = [{ object: pod('test', { env: 'dev' }, { boom: 'yes' }, 'trigger') }];

export const ABORT_CASES: CorpusCase[] = [
  { ...base, name: "'ab'.repeat(2**27).split(''), ungated", answer: podAnswer(`'ab'.repeat(2 ** 27).split(''); ${DENY_PROD}`), expect: refused },
  { ...base, name: "split('') of a huge string, only in the cluster", answer: podAnswer(`if (request.object?.metadata?.annotations?.boom) { const s = 'ab'; s.repeat(2 ** 27).split(''); } ${DENY_PROD}`), expect: refused, admissions: gate },
  { ...base, name: 'a counted loop keeping new Array(1e6).fill(i)', answer: podAnswer(`const keep = []; if (request.object?.metadata?.annotations?.boom) { for (let i = 0; i < 4000; i++) { keep.push(new Array(1e6).fill(i)); } } ${DENY_PROD}`), expect: refused, admissions: gate },
  { ...base, name: 'Array.from({length: 1e6}) kept in a counted loop', answer: podAnswer(`const keep = []; for (let i = 0; i < 4000; i++) { keep.push(Array.from({ length: 1e6 }, () => i)); } ${DENY_PROD}`), expect: refused },
  { ...base, name: 'sort over {length: 2**32 - 1}', answer: podAnswer(`if (request.object?.metadata?.annotations?.boom) { Array.prototype.sort.call({ length: 2 ** 32 - 1 }); } ${DENY_PROD}`), expect: refused, admissions: gate },
];
