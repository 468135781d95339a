import { parseImage } from './parse-image.ts';

/**
 * Whether a container image comes from one of the allowed registries or repository prefixes, compared
 * after Docker's normalisation: "docker.io" allows nginx, "gcr.io/acme" allows gcr.io/acme/api but not
 * gcr.io/acme-evil/api.
 */
export function imageFromAllowedRegistry(image: string, allowed: string[]): boolean {
  const ref = parseImage(image);
  const full = ref.registry + '/' + ref.repository;
  for (let i = 0; i < allowed.length; i++) {
    const entry = String(allowed[i]).replace(/\/+$/, '');
    if (entry === '') continue;
    if (full === entry || full.indexOf(entry + '/') === 0) return true;
  }
  return false;
}
