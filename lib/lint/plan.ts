// The planner's statement of what a policy must cover; the intent rules compare a policy to it.

export interface PlanResource {
  /** API group ("" for core, "*" for any). */
  group: string;
  /** Plural resource name ("pods"), optionally with "/subresource"; "*" for any. */
  resource: string;
}

export interface Plan {
  resources: PlanResource[];
  /** CREATE | UPDATE | DELETE | CONNECT | "*". */
  operations: string[];
  /** Namespaces the policy is meant to apply to; empty = every namespace. */
  namespaces: string[];
  /** What the policy should deny, in words (not checked by the linter). */
  denies?: string;
  /** What the policy should allow, in words (not checked by the linter). */
  allows?: string;
}
