import type { K8sObject } from '../types.ts';

/**
 * The metadata of the pods a pod-bearing object makes, or null. Pod: metadata;
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job: spec.template.metadata;
 * CronJob: spec.jobTemplate.spec.template.metadata; PodTemplate: template.metadata.
 *
 * A workload's own metadata is not its pods': an exemption label or an AppArmor annotation on a
 * Deployment must sit on its template to reach the pods, and that is what the Pod Security Standards
 * read. null when the object has no pod template, or the template no metadata (then its pods have none).
 */
export function podMetadataOf(obj: K8sObject): K8sObject {
  if (!obj || typeof obj !== 'object') return null;
  const kind = obj.kind;
  if (kind === 'Pod') return obj.metadata || null;
  if (kind === 'CronJob') return (obj.spec && obj.spec.jobTemplate && obj.spec.jobTemplate.spec && obj.spec.jobTemplate.spec.template && obj.spec.jobTemplate.spec.template.metadata) || null;
  if (kind === 'PodTemplate') return (obj.template && obj.template.metadata) || null;
  return (obj.spec && obj.spec.template && obj.spec.template.metadata) || null;
}
