import { parseImage } from './parse-image.ts';

/**
 * Whether an image is allowed by an entry: a registry ("gcr.io"), a prefix ("gcr.io/acme/") or an exact
 * image ("nginx"), normalised like the runtime.
 *
 * "docker.io" allows nginx; "gcr.io/acme/" allows gcr.io/acme/api but not gcr.io/acme-evil/api. Each
 * entry is parsed for what it is:
 * - a registry: no "/" (or only a trailing one) and a first part containing "." or ":", or
 *   "localhost" — "gcr.io", "registry.local:5000", "docker.io/": every image there. The port is part
 *   of the registry ("registry.local" does not allow registry.local:5000/app); case does not matter.
 * - a repository prefix: ends with "/" (or "/*") — "gcr.io/acme/": everything under gcr.io/acme/, at a
 *   path boundary; without a registry the prefix is on docker.io ("openpolicyagent/" means
 *   docker.io/openpolicyagent/, "library/" the official images).
 * - an exact image: anything else — "nginx" (= docker.io/library/nginx) or "gcr.io/acme/api": that
 *   repository with any tag or digest; "gcr.io/acme/api:1.2" only that tag and no digest (a digest
 *   overrides the tag when pulling); "…@sha256:…" only that digest.
 * An entry that is none of these (empty, upper case in a path, a bare "*", a port that is not a number,
 * "nginx:1.25" without a "/", which reads as host nginx, port 1.25) allows nothing, and an image the
 * runtime could not pull (parseImage gives "") is never allowed: anything ambiguous fails closed.
 */
export function imageFromAllowedRegistry(image: string, allowed: string[]): boolean {
  const ref = parseImage(image);
  if (ref.registry === '') return false;
  const entries = Array.isArray(allowed) ? allowed : [];
  const hostPattern = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$|^\[[a-fA-F0-9:]+\](?::[0-9]+)?$/;
  const pathPattern = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$/;
  const isRegistry = (part: string) => part === 'localhost' || /[.:]/.test(part) || part.toLowerCase() !== part;
  const normalHost = (part: string) => (part.toLowerCase() === 'index.docker.io' ? 'docker.io' : part.toLowerCase());
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (typeof entry !== 'string' || entry === '') continue;
    const prefix = /\/\*?$/.test(entry);
    const body = entry.replace(/\/\*?$/, '');
    if (body === '' || body.indexOf('*') >= 0 || body.indexOf('//') >= 0) continue;
    const slash = body.indexOf('/');
    const first = slash < 0 ? body : body.slice(0, slash);
    if (slash < 0 && isRegistry(first) && body.indexOf('@') < 0) {
      // A registry: host[:port].
      if (hostPattern.test(first) && ref.registry === normalHost(first)) return true;
      continue;
    }
    if (prefix) {
      // A repository prefix: [registry/]path/.
      const registry = slash >= 0 && isRegistry(first) ? first : 'docker.io';
      const path = slash >= 0 && isRegistry(first) ? body.slice(slash + 1) : body;
      if (!hostPattern.test(registry) || !pathPattern.test(path)) continue;
      if (ref.registry === normalHost(registry) && ref.repository.indexOf(path + '/') === 0) return true;
      continue;
    }
    // An exact image, normalised like the image itself.
    const want = parseImage(body);
    if (want.registry === '' || want.registry !== ref.registry || want.repository !== ref.repository) continue;
    if (want.digest !== '') {
      if (ref.digest === want.digest) return true;
    } else if (want.tag !== '') {
      if (ref.digest === '' && ref.tag === want.tag) return true;
    } else {
      return true;
    }
  }
  return false;
}
