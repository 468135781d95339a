// The documented bounds of an acceptable answer (the acceptance schema, answer-schema.ts, is built
// from them); a module of its own so the controller's script carries these numbers and not the schema.

/**
 * Documented bounds (README, "Answer bounds"): an answer over any of them is refused with a finding
 * that names the field, and goes back to the model. They are also what the status keeps of a plan.
 */
export const ANSWER_BOUNDS = {
  /** The whole answer (submit_policy's arguments, or the JSON in the message content), in characters. */
  answerChars: 64 * 1024,
  /** Nesting of the answer itself: its schema nests five deep (answer, helpers, a helper, its tests, a case). */
  answerDepth: 8,
  /** Nesting of the JSON carried in strings: an AdmissionRequest with its object, a mutation's expected subset. */
  embeddedDepth: 32,
  /** plan.summary, denies, allows, mutates; a helper's description. */
  prose: 1000,
  /** Names: resources, groups, versions, operations, namespaces, test case names, helper names. */
  name: 253,
  /** Entries of every list of names (resources, operations, namespaces, apiGroups, apiVersions). */
  names: 32,
  javascript: 32 * 1024,
  helperCode: 8 * 1024,
  helpers: 5,
  helperTests: 10,
  call: 1000,
  tests: 20,
  /** An AdmissionRequest as JSON, in a test case. */
  requestJson: 16 * 1024,
  /** A test case's detail: a message substring, or a mutation's expected subset as JSON. */
  detail: 4 * 1024,
  selectorJson: 4 * 1024,
} as const;
