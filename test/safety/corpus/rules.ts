// The linter rule ids the corpus expects, by defence. A refusal must name one of its class's ids.
// (The subset linter, the blast-radius and ReDoS rules were written alongside this corpus: keep these
// in step with lib/lint.)

/** The allow-listed JS subset and the unbounded built-ins it refuses (lib/lint/subset.ts). */
export const SUBSET_RULES = ['subset-*', 'unbounded-builtin', 'forbidden-call', 'forbidden-construct', 'undeclared-name'];

/** Wildcard and protected resources (lib/lint/resources.ts, safety.ts). */
export const RESOURCE_RULES = ['kind-not-in-intent', 'wildcard-resources', 'protected-resource', 'blast-radius'];

/** Cluster-scoped reach beyond the namespaces the intent names (lib/lint/safety.ts). */
export const REACH_RULES = ['kind-not-in-intent', 'cluster-scoped-not-in-intent', 'blast-radius', 'scope-mismatch', 'intent-mismatch', 'cluster-scope'];

/** Catastrophic regular expressions (lib/lint/regex.ts). */
export const REGEX_RULES = ['regex-redos', 'redos'];

/** Code V8 and webpack read differently (lib/lint/js.ts). */
export const PARSE_RULES = ['parse-differential', 'js-syntax'];

/** A mutation beyond the intent (lib/lint/plan.ts, intent.ts; mutation bounds in the guard). */
export const MUTATION_RULES = ['intent-mismatch', 'mutation-bounds', 'mutation-beyond-intent', 'subset-*'];

/** Reads of other objects (get/list) where the intent needs none. */
export const READ_RULES = ['subset-*', 'forbidden-call', 'confined-read', 'read-beyond-intent'];
