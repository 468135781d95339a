import type { ImageRef } from '../types.ts';

/**
 * Splits an image into registry, repository, tag and digest as the runtime resolves it ("" when absent or
 * invalid).
 *
 * nginx → docker.io, library/nginx, "", "". Every part is "" for an invalid reference.
 * This is distribution/reference's ParseNormalizedNamed, which containerd and the kubelet use: the first
 * path component is the registry when it contains "." or ":", is "localhost", or has an upper-case
 * letter (registry.local:5000/app, Registry/app), else the image is on docker.io (bitnami/redis →
 * docker.io/bitnami/redis); index.docker.io is docker.io. The registry is returned in lower case (host
 * names are case-insensitive) with its port; the repository must be lower case. A reference the
 * runtime would refuse to pull — upper case in the repository, a bad tag, a digest that is not
 * sha256/sha384/sha512 with its exact hex length, a 64-hex image ID, a repository over 255 characters
 * — gives all "". With both a tag and a digest the runtime pulls the digest and ignores the tag.
 */
export function parseImage(image: string): ImageRef {
  const invalid = { registry: '', repository: '', tag: '', digest: '' };
  if (typeof image !== 'string' || image === '' || image.length > 1024) return invalid;
  if (/^[a-f0-9]{64}$/.test(image)) return invalid;
  let domain = 'docker.io';
  let rest = image;
  const slash = image.indexOf('/');
  if (slash < 0) {
    rest = 'library/' + image;
  } else {
    const first = image.slice(0, slash);
    if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) {
      domain = first === 'index.docker.io' ? 'docker.io' : first;
      rest = image.slice(slash + 1);
    }
    if (domain === 'docker.io' && rest.indexOf('/') < 0) rest = 'library/' + rest;
  }
  const colon = rest.indexOf(':');
  const remote = colon < 0 ? rest : rest.slice(0, colon);
  if (remote.toLowerCase() !== remote) return invalid;
  // distribution/reference's ReferenceRegexp: [domain[:port]/]path[:tag][@digest].
  // Written out as one literal (a RegExp built from strings is not part of the policy language): host
  // = component(.component)* or [IPv6], optional :port; path = [a-z0-9]+ components joined by . _ __ -,
  // separated by /; component = [a-zA-Z0-9] or [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9].
  const reference = /^((?:(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$/;
  const m = reference.exec(domain + '/' + rest);
  if (!m || (m[1] as string).indexOf(domain + '/') !== 0) return invalid;
  const repository = (m[1] as string).slice(domain.length + 1);
  if (repository.length > 255) return invalid;
  const digest = m[3] || '';
  if (digest !== '' && !/^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/.test(digest)) return invalid;
  return { registry: domain.toLowerCase(), repository, tag: m[2] || '', digest };
}
