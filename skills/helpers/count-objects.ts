/**
 * How many objects a list() call returned: countObjects(list('Pod', 'v1', { namespace: 'team-a' })), 0
 * when list() found none (it returns undefined then).
 *
 * The policy names the kind in its own list() call, as a string literal (the policy language requires
 * that). Counts what the cache holds; the object being created is not among them yet.
 */
export function countObjects(items: unknown): number {
  return Array.isArray(items) ? items.length : 0;
}
