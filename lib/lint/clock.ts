// A policy that reads the clock can behave one way while it is tested and previewed and another
// way later — a time bomb: `if (Date.now() > <a day after generation>) deny(...)` passes every
// self-test and the impact preview, then denies everything its webhook sees. Refused in generated
// policies unless the description itself is about time ("outside business hours", "older than").
import type { Finding, LintOptions, PolicyView } from './types.ts';
import { strictness } from './types.ts';
import type { Analysis, N } from './js.ts';
import { locOf, walk } from './js.ts';

/** Words that make an intent about time: only then may its policy read the clock. */
const TIME_WORDS = /\b(time|times|hours?|minutes?|seconds?|days?|weeks?|months?|years?|weekends?|weekdays?|nights?|dates?|clock|schedule[ds]?|expir\w*|age|older|newer|old|recent\w*|until|after|before|since|deadline|monday|tuesday|wednesday|thursday|friday|saturday|sunday|utc)\b/i;

export function intentIsAboutTime(description: string | undefined): boolean {
  return TIME_WORDS.test(description ?? '');
}

/** Date.now(), new Date() and Date() without arguments: the reads of the current time. */
function isClockRead(n: N, isGlobalDate: (id: N) => boolean): boolean {
  if (n.type === 'CallExpression' || n.type === 'NewExpression') {
    const callee = (n.callee as N).type === 'ChainExpression' ? ((n.callee as N).expression as N) : (n.callee as N);
    if (callee.type === 'Identifier' && isGlobalDate(callee)) return (n.arguments as N[]).length === 0;
    if (n.type === 'CallExpression' && callee.type === 'MemberExpression' && !callee.computed && (callee.object as N).type === 'Identifier') {
      return isGlobalDate(callee.object as N) && (callee.property as N).name === 'now';
    }
  }
  return false;
}

export function clockRule(_p: PolicyView, a: Analysis, options: LintOptions): Finding[] {
  if (options.profile !== 'generated' || intentIsAboutTime(options.description)) return [];
  const globalDates = new Set(a.globalRefs('Date').map((r) => r.node));
  const out: Finding[] = [];
  walk(a.program, (n) => {
    if (!isClockRead(n, (id) => globalDates.has(id))) return;
    out.push({
      rule: 'clock-read',
      severity: strictness(options),
      ...locOf(n),
      message: 'The policy reads the current time, but its intent says nothing about time: it could pass its tests and the preview, then act differently later.',
      hint: 'Do not call Date.now(), new Date() or Date() without arguments: decide from the request alone. new Date(text) over a timestamp of the object is fine.',
    });
  });
  return out;
}
