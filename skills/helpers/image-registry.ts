import { parseImage } from './parse-image.ts';

/** The registry host of a container image ("docker.io" when the image names none, e.g. "nginx"). */
export function imageRegistry(image: string): string {
  return parseImage(image).registry;
}
