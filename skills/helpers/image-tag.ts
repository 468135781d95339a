import { parseImage } from './parse-image.ts';

/**
 * The tag of a container image, or "" when it has none (an untagged image means "latest" unless pinned by
 * digest).
 *
 * "" too for an invalid reference; a registry port is not a tag ("registry.local:5000/app").
 */
export function imageTag(image: string): string {
  return parseImage(image).tag;
}
