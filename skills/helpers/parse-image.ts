import type { ImageRef } from '../types.ts';

/**
 * Splits a container image reference into registry, repository, tag and digest, as Docker resolves it:
 * no registry means docker.io, and a one-part docker.io repository gets "library/" (nginx →
 * docker.io/library/nginx). The tag and the digest are "" when absent.
 */
export function parseImage(image: string): ImageRef {
  let rest = typeof image === 'string' ? image.trim() : '';
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry = 'docker.io';
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.indexOf('.') >= 0 || first.indexOf(':') >= 0 || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  if (registry === 'index.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && rest.indexOf('/') < 0 && rest !== '') rest = 'library/' + rest;
  return { registry, repository: rest, tag, digest };
}
