import type { K8sObject } from '../types.ts';
import { allContainers } from './all-containers.ts';
import { imageFromAllowedRegistry } from './image-from-allowed-registry.ts';
import { ownValue } from './own-value.ts';

/**
 * A check's findings minus what the exemptions cover.
 *
 * exemptions: {namespaces?: string[], labels?: {key: value}, images?: string[]}, any part optional.
 * - namespaces: the request's namespace (request.namespace, else the object's) is one of them → [].
 * - labels: the pods carry one of these key=value labels → []. Pod labels as podMetadataOf reads them:
 *   a Pod's own, a workload's template labels (what its pods will carry), not the workload's own.
 * - images: entries as imageFromAllowedRegistry reads them ("ghcr.io/agents/", "gcr.io",
 *   "docker.io/library/busybox:1.36"), same normalisation. They exempt containers, not the pod: an
 *   item is dropped when it is the name of a container (init, ephemeral) with such an image, or starts
 *   with that name and ":" ("debug:NET_ADMIN"). Pod-level findings ("hostNetwork",
 *   "spec.securityContext.runAsUser=0", "volumes[data]: nfs") are never dropped by an image.
 * items is what a check helper returned (privilegedContainers, hostPortsUsed, …); [] stays [].
 * Use it as `var bad = withoutExempt(request, EXEMPT, privilegedContainers(request.object));`.
 */
export function withoutExempt(request: K8sObject, exemptions: { namespaces?: string[]; labels?: Record<string, string>; images?: string[] }, items: string[]): string[] {
  const list = Array.isArray(items) ? items : [];
  if (list.length === 0 || !request) return list.slice();
  const { namespaces, labels, images } = exemptions || {};
  const { object, oldObject } = request;
  const obj = object || oldObject;
  // The namespace (namespaceOf) and the pods' labels (podMetadataOf: a Pod's own, else its template's).
  const { metadata, spec, template: podTemplate, kind } = obj || {};
  const { namespace } = metadata || {};
  if (Array.isArray(namespaces) && namespaces.indexOf(request.namespace || namespace || '') >= 0) return [];
  const { jobTemplate, template } = spec || {};
  const pod = kind === 'Pod' ? obj : kind === 'CronJob' ? jobTemplate && jobTemplate.spec && jobTemplate.spec.template : kind === 'PodTemplate' ? podTemplate : template;
  const own = (pod && pod.metadata && pod.metadata.labels) || {};
  const wanted = labels && typeof labels === 'object' ? labels : {};
  const keys = Object.keys(wanted);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = ownValue(own, key);
    if (typeof value === 'string' && value === ownValue(wanted, key)) return [];
  }
  if (!Array.isArray(images) || images.length === 0) return list.slice();
  const exempt = allContainers(obj)
    .filter((c) => typeof c.image === 'string' && typeof c.name === 'string' && c.name !== '' && imageFromAllowedRegistry(c.image, images))
    .map((c) => String(c.name));
  return list.filter((item) => {
    const text = String(item);
    return !exempt.some((name) => text === name || text.indexOf(name + ':') === 0);
  });
}
