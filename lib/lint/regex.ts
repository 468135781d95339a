// Catastrophic regular expressions: jsPolicy's V8 backtracks, a request field is attacker-sized, and
// termination cannot always stop a regexp's slow path. Every literal in the model's code must be
// proven free of ambiguous backtracking by redos-detector (pure JS, runs on V8 9.6); constructing a
// RegExp from text is refused by the subset rule (subset.ts), so literals are all there is. Runs in
// the toolkit only: the checker is ≈66 KiB, and a pattern it refuses costs it up to about a second
// on V8 9.6.
import { isSafePattern, type RedosDetectorResult } from 'redos-detector';
import type { Finding, LintOptions, PolicyView } from './types.ts';
import { strictness } from './types.ts';
import type { Analysis, N } from './js.ts';
import { locOf, walk } from './js.ts';

/**
 * The checker's budget. Steps are counted, not timed, so a verdict is the same on every machine; a
 * pattern it cannot prove safe within them is refused (1000 is the least that proves a semver pattern
 * with an optional "v" safe). Patterns and their number are capped so that an answer full of regular
 * expressions cannot spend the controller's run on checking them.
 */
export const REGEX_MAX_STEPS = 1000;
export const REGEX_MAX_LENGTH = 200;
export const REGEX_MAX_LITERALS = 6;

/**
 * Patterns of the starter skill library the checker cannot prove within its budget but that V8 runs
 * in linear time (test/lint/redos.test.ts times them on 100 000-character inputs in V8 9.6): a model
 * that pastes a library helper it was shown keeps them. Distribution's image reference, its path,
 * a resource quantity.
 */
export const LINEAR_LIBRARY_PATTERNS: readonly string[] = [
  String.raw`^((?:(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
  String.raw`^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$`,
  String.raw`^([+-]?)([0-9]*)(?:\.([0-9]*))?((?:[eEinumkKMGTP]+[+-]?|[+-])[0-9]*)?$`,
];

export type RegexVerdict = { safe: true } | { safe: false; why: string };

const REWRITE =
  'Rewrite it so no two ways through the pattern can match the same text: anchor it with ^…$, make repeated parts exclusive (e.g. [a-z0-9]+ followed by a literal "." inside a repeat, never a class that overlaps its neighbour), avoid nested quantifiers like (x+)+ and alternatives that overlap like (a|aa); or do without a pattern: split(".", 64), indexOf, startsWith/endsWith, then a simple anchored pattern per part. Check the input length first (e.g. s.length <= 253).';

/** Where the checker found two ways to match the same text, in its words ("`[a-z0-9]` and `[a-z]`"). */
function ambiguity(result: RedosDetectorResult): string {
  for (const trail of result.trails) {
    for (const step of trail.trail) {
      if (step.a.node.start.offset !== step.b.node.start.offset) return `\`${step.a.node.source}\` (at ${step.a.node.start.offset}) and \`${step.b.node.source}\` (at ${step.b.node.start.offset}) can match the same characters`;
    }
  }
  const first = result.trails[0]?.trail[0];
  return first ? `\`${first.a.node.source}\` (at ${first.a.node.start.offset}) can repeat over the same characters in more than one way` : 'parts of it can match the same characters in more than one way';
}

/** redos-detector's verdict on a pattern with its flags, within the budget above. */
export function checkRegex(pattern: string, flags: string): RegexVerdict {
  if (pattern.length > REGEX_MAX_LENGTH) return { safe: false, why: `it is ${pattern.length} characters long (at most ${REGEX_MAX_LENGTH} are checked)` };
  let result: RedosDetectorResult;
  try {
    result = isSafePattern(pattern, {
      maxSteps: REGEX_MAX_STEPS,
      caseInsensitive: flags.indexOf('i') >= 0,
      dotAll: flags.indexOf('s') >= 0,
      multiLine: flags.indexOf('m') >= 0,
      unicode: flags.indexOf('u') >= 0,
    });
  } catch (thrown) {
    return { safe: false, why: `the checker cannot read it (${thrown instanceof Error ? thrown.message : String(thrown)})` };
  }
  if (result.safe) return { safe: true };
  if (result.error === 'hitMaxSteps') return { safe: false, why: `it is too complex to prove safe within ${REGEX_MAX_STEPS} checker steps; ${ambiguity(result)}` };
  return { safe: false, why: `backtracking can grow without bound: ${ambiguity(result)}` };
}

/** regex-redos: regular expression literals the checker does not prove safe. */
export function regexRedos(_p: PolicyView, a: Analysis, options: LintOptions): Finding[] {
  const out: Finding[] = [];
  const verdicts = new Map<string, RegexVerdict>();
  walk(a.program, (n: N) => {
    if (n.type !== 'Literal' || !n.regex) return;
    const { pattern, flags } = n.regex as { pattern: string; flags: string };
    const key = `/${pattern}/${flags}`;
    if (LINEAR_LIBRARY_PATTERNS.indexOf(pattern) >= 0) return;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict =
        verdicts.size < REGEX_MAX_LITERALS
          ? checkRegex(pattern, flags)
          : { safe: false, why: `the code has more than ${REGEX_MAX_LITERALS} different regular expressions, and only that many are checked` };
      verdicts.set(key, verdict);
    }
    if (verdict.safe) return;
    out.push({
      rule: 'regex-redos',
      severity: strictness(options),
      ...locOf(n),
      message: `The regular expression ${key.length > 80 ? key.slice(0, 77) + '…' : key} may take time exponential or polynomial in its input's length (ReDoS): ${verdict.why}.`,
      hint: REWRITE,
    });
  });
  return out;
}
