import type { Checks } from '../controller/judge.ts';
import type { ServedResource } from '../k8s/builtin-resources.ts';
import type { Finding } from '../lint/types.ts';
import type { FeedbackTurn, GPTPolicy } from '../gptpolicy/types.ts';
import type { ModelAnswer } from '../model/answer.ts';
import type { AnswerRead } from '../model/read-answer.ts';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ModelSettings } from '../model/chat-request.ts';
import type { Inlined, PolicySkill, Verification } from '../skills/index.ts';
import type { ImpactReport, PreviewInput } from './preview.ts';

/**
 * The generation toolkit: everything that checks a model's answer (linter, JS parser, sandbox).
 * It is large, and only needed after a model call, so the controller bundle carries it as a
 * string and evaluates it on demand (lib/platform/toolkit.ts) instead of parsing it on every event.
 */
export interface Toolkit {
  /** The chat-completions request of one attempt: system prompt, intent, retrieved skills, earlier turns, the submit_policy tool. */
  chatRequest(settings: ModelSettings, description: string, turns: readonly FeedbackTurn[], skills: string): ChatCompletionCreateParamsNonStreaming;
  /** The answer pipeline's first stages: transport, parse and validate a chat completion of any shape (lib/model/read-answer.ts). */
  readAnswer(completion: unknown): AnswerRead;
  /** Parse and validate an answer's JSON text (one kept in a status). */
  readAnswerText(text: string): AnswerRead;
  /** `clock` (the platform's) bounds each self-test's time; without it only their steps are bounded. */
  checks(resources: readonly ServedResource[], skills?: readonly PolicySkill[], clock?: () => number): Checks & { formatFindings(findings: Finding[]): string };
  preview(input: PreviewInput): ImpactReport;
  /** The verified skills most relevant to an intent, rendered for the prompt within its token budget. */
  skillsForIntent(intent: string, skills: readonly PolicySkill[]): { names: string[]; text: string; tokens: number };
  /** The policy made self-contained: exactly the library helpers it calls, prepended. */
  inline(javascript: string, skills: readonly PolicySkill[]): Inlined;
  /** Runs every skill's own tests in the sandbox. */
  verify(skills: readonly PolicySkill[]): Array<{ name: string; verification: Verification }>;
  /** What an approved policy teaches: its example, as an unverified skill (deduplicated). */
  learn(gp: GPTPolicy, answer: ModelAnswer, existing: readonly PolicySkill[]): PolicySkill[];
}

/** The global the toolkit bundle assigns when evaluated. */
export const TOOLKIT_GLOBAL = '__gptpolicyToolkit';
