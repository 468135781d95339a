// Scripted models for the bench: the fake model answering from a task's reference answer, so the
// harness (and the task set) can be checked without a real endpoint, and the figures it reports
// are known in advance.
import type { ModelAnswer } from '../../lib/model/answer.ts';
import { ANSWER_TOOL_NAME } from '../../lib/model/answer.ts';
import { DEFAULT_USAGE, type ScriptedReply } from '../fake-model/index.ts';
import type { BenchTask } from './tasks.ts';

export const SCRIPTS = ['right', 'wrong-then-right', 'never-right'] as const;
export type ScriptMode = (typeof SCRIPTS)[number];

/** Tokens the fake model reports per call (its default usage). */
export const SCRIPTED_TOKENS_PER_CALL = DEFAULT_USAGE.total_tokens;

/**
 * An answer the controller's checks reject (lint error api-group-too-broad): the reference with
 * apiGroups ["*"], the prototype's own mistake. Its plan and code are right; only the match is not.
 */
export function wrongAnswer(reference: ModelAnswer): ModelAnswer {
  return { ...reference, policy: { ...reference.policy, apiGroups: ['*'] } };
}

const reply = (answer: ModelAnswer): ScriptedReply => ({ toolCall: { name: ANSWER_TOOL_NAME, arguments: answer } });

/** The replies, in order; the fake model repeats the last one once they run out. */
export function scriptFor(task: BenchTask, mode: ScriptMode): ScriptedReply[] {
  if (!task.reference) throw new Error(`${task.id}: no reference.json, so no scripted answer`);
  switch (mode) {
    case 'right':
      return [reply(task.reference)];
    case 'wrong-then-right':
      return [reply(wrongAnswer(task.reference)), reply(task.reference)];
    case 'never-right':
      return [reply(wrongAnswer(task.reference))];
  }
}
