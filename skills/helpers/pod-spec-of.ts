import type { K8sObject } from '../types.ts';

/**
 * The pod spec of any pod-bearing object, or null. Pod: spec; Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, ReplicationController, Job: spec.template.spec; CronJob: spec.jobTemplate.spec.template.spec;
 * PodTemplate: template.spec. The result is the object's own spec (changing it changes the object).
 *
 * Any other kind (a Service, a custom resource without that shape, null on DELETE) and a missing spec
 * give null. A pods/ephemeralcontainers UPDATE (kubectl debug) carries the whole Pod, so its spec
 * includes the new spec.ephemeralContainers.
 */
export function podSpecOf(obj: K8sObject): K8sObject {
  if (!obj || typeof obj !== 'object') return null;
  const kind = obj.kind;
  if (kind === 'Pod') return obj.spec || null;
  if (kind === 'CronJob') return (obj.spec && obj.spec.jobTemplate && obj.spec.jobTemplate.spec && obj.spec.jobTemplate.spec.template && obj.spec.jobTemplate.spec.template.spec) || null;
  if (kind === 'PodTemplate') return (obj.template && obj.template.spec) || null;
  return (obj.spec && obj.spec.template && obj.spec.template.spec) || null;
}
