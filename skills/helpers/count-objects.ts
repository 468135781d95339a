/**
 * How many objects of a kind exist, in one namespace or ("" for) all, read from the cluster with list()
 * (reads: true). Counts what the cache holds; the object being created is not among them yet.
 */
export function countObjects(kind: string, apiVersion: string, namespace: string): number {
  const items = namespace ? list(kind, apiVersion, { namespace: namespace }) : list(kind, apiVersion);
  return Array.isArray(items) ? items.length : 0;
}
