import { parseImage } from './parse-image.ts';

/** The tag of a container image, or "" when it has none (an untagged image means "latest" unless pinned by digest). */
export function imageTag(image: string): string {
  return parseImage(image).tag;
}
