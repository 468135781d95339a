import { parseImage } from './parse-image.ts';

/**
 * Whether a container image floats on "latest": tagged latest or untagged, and not pinned by a digest.
 *
 * The runtime pulls a digest whatever the tag says; an invalid reference counts as floating.
 */
export function usesLatestTag(image: string): boolean {
  const ref = parseImage(image);
  if (ref.digest !== '') return false;
  return ref.tag === '' || ref.tag === 'latest';
}
