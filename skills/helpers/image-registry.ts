import { parseImage } from './parse-image.ts';

/**
 * The registry host of a container image ("docker.io" when the image names none, e.g. "nginx").
 *
 * Resolved as the runtime resolves it (parseImage): "bitnami/redis" is on docker.io too; in lower case
 * with its port ("registry.local:5000"); "" when the reference is invalid (the runtime would not pull it).
 */
export function imageRegistry(image: string): string {
  return parseImage(image).registry;
}
