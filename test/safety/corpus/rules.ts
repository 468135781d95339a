// The linter rule ids the corpus expects, by defence. A refusal must name one of its class's ids;
// every id here is one lib/lint reports (test/safety/rules.test.ts checks it).

/** The allow-listed JS subset (lib/lint/subset.ts) and the rules it leaves to others (code.ts). */
export const SUBSET_RULES = ['subset-*', 'forbidden-call', 'forbidden-construct', 'undeclared-name'];

/** Wildcard and protected resources (lib/lint/safety.ts). */
export const RESOURCE_RULES = ['wildcard-resources', 'wildcard-subresources', 'subresource-not-allowed', 'protected-resource', 'protected-api-group'];

/** Reach beyond what the description names (lib/lint/safety.ts, lib/policy/intent-kinds.ts). */
export const REACH_RULES = ['kind-not-in-intent', 'cluster-scoped-not-in-intent'];

/** Clock reads in a policy whose intent is not about time (lib/lint/clock.ts). */
export const CLOCK_RULES = ['clock-read'];

/** Code V8 and webpack read differently, or not at all (lib/lint/js.ts, code.ts). */
export const PARSE_RULES = ['parse-differential', 'js-syntax'];

/** A mutation beyond the intent: refused by the subset when it cannot be written in it; else held by the guard. */
export const MUTATION_RULES = ['intent-mismatch', 'subset-*'];

/** Reads of other objects (get/list) into messages. */
export const READ_RULES = ['subset-*', 'forbidden-call'];
