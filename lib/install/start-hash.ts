// jsPolicy starts a Controller policy once per hash of (bundle, resources, apiGroups, apiVersions) and
// never retries a start that failed with the same hash (pkg/controllers/jspolicy.go syncControllerPolicy:
// the hash is stored before the start; on InitControllerPolicy later reconciles with that hash return
// early). Only a new hash, the JsPolicy's deletion or a jsPolicy restart starts it again.
//
// Deletion is the wrong lever: if jsPolicy's workqueue merges the delete with the re-create, its
// reconcile never sees NotFound, keeps the old hash, and marks the new object (no conditions yet)
// ControllerReady=True without starting anything. So a stuck controller is restarted with a new hash
// of the same meaning: gvksFromPolicy reads apiVersions as a set in which "*" or an empty list means
// any version, while the hash takes the list as written (with omitempty: [] hashes like absent).
import type { JsPolicySpec } from '../k8s/types.ts';

type StartFields = Pick<JsPolicySpec, 'javascript' | 'dependencies' | 'resources' | 'apiGroups' | 'apiVersions'>;

/** apiVersions as gvksFromPolicy reads them: undefined for "any", else the set, sorted. */
function versionSet(list: string[] | undefined): string[] | undefined {
  if (!list || list.length === 0 || list.includes('*')) return undefined;
  return [...new Set(list)].sort();
}

/** Same watched kinds: apiVersions compared as gvksFromPolicy reads them, everything else as written. */
export function sameMeaning(a: StartFields, b: StartFields): boolean {
  return JSON.stringify(versionSet(a.apiVersions)) === JSON.stringify(versionSet(b.apiVersions)) && JSON.stringify(rest(a)) === JSON.stringify(rest(b));
}

/** Same hash in jsPolicy's map (omitempty: an empty list is an absent one). */
export function sameStartHash(a: StartFields, b: StartFields): boolean {
  const list = (l: string[] | undefined): string[] => l ?? [];
  return JSON.stringify([list(a.apiVersions), rest(a)]) === JSON.stringify([list(b.apiVersions), rest(b)]);
}

function rest(spec: StartFields): unknown[] {
  return [spec.javascript ?? '', spec.dependencies ?? {}, spec.resources ?? [], spec.apiGroups ?? []];
}

/**
 * apiVersions with another hash and the same meaning, alternating between two spellings so that
 * repeated restarts never grow the list: [] ↔ ["*"]; [..., v] ↔ [..., v, v] (jsPolicy's validation
 * allows repeats, and forbids "*" beside other versions, which this never writes).
 */
export function restartedApiVersions(list: string[] | undefined): string[] | undefined {
  const versions = list ?? [];
  if (versions.length === 0) return ['*'];
  if (versions.length === 1 && versions[0] === '*') return undefined;
  const last = versions[versions.length - 1] as string;
  return versions.length >= 2 && versions[versions.length - 2] === last ? versions.slice(0, -1) : [...versions, last];
}
