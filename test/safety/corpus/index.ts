// Every case of the escape-and-hang corpus, by class.
import type { CorpusCase } from '../harness.ts';
import { ABORT_CASES } from './aborts.ts';
import { COMPILER_CASES } from './compiler.ts';
import { CONTROL_CASES } from './controls.ts';
import { DETECTION_CASES } from './detection.ts';
import { MUTATION_CASES } from './mutation.ts';
import { NATIVE_CASES } from './natives.ts';
import { REACH_CASES } from './reach.ts';
import { READ_CASES } from './reads.ts';
import { TIME_CASES } from './time.ts';
import { VERDICT_CASES } from './verdict.ts';

export const ALL_CASES: CorpusCase[] = [
  ...CONTROL_CASES,
  ...REACH_CASES,
  ...MUTATION_CASES,
  ...READ_CASES,
  ...COMPILER_CASES,
  ...VERDICT_CASES,
  ...DETECTION_CASES,
  ...NATIVE_CASES,
  ...TIME_CASES,
  ...ABORT_CASES,
];
