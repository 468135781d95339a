// Retrieval quality on a labelled set of intents: recall@k (is a right skill among the first k?).
// The benchmark reports it; test/skills/retrieval.test.ts holds it to a floor.
import { rank } from '../../lib/skills/retrieve.ts';
import type { PolicySkill } from '../../lib/skills/types.ts';

export interface LabelledIntent {
  intent: string;
  /** Function names of skills that answer it: a hit when any of them ranks in the first k. */
  expected: string[];
  /** Function names that have nothing to do with it: they must not reach the prompt. */
  unrelated: string[];
}

export interface RecallReport {
  k: number;
  /** Share of intents with an expected skill in the first k (0…1). */
  recall: number;
  hits: number;
  total: number;
  misses: { intent: string; expected: string[]; got: string[] }[];
}

export function recallAtK(labelled: readonly LabelledIntent[], skills: readonly PolicySkill[], k: number): RecallReport {
  const misses: RecallReport['misses'] = [];
  let hits = 0;
  for (const item of labelled) {
    const top = rank(item.intent, skills)
      .filter((r) => r.score > 0)
      .slice(0, k)
      .map((r) => r.skill.spec.function);
    if (item.expected.some((name) => top.includes(name))) hits += 1;
    else misses.push({ intent: item.intent, expected: item.expected, got: top });
  }
  return { k, recall: labelled.length ? hits / labelled.length : 0, hits, total: labelled.length, misses };
}

/** Intents written without looking at the skills' wording, each with the skills that answer it. */
export const LABELLED_INTENTS: LabelledIntent[] = [
  { intent: 'Deny pods whose images use the latest tag', expected: ['usesLatestTag', 'exampleDenyLatestTag'], unrelated: ['ingressHosts', 'countObjects'] },
  { intent: 'Only allow container images from our registry registry.corp.io', expected: ['imageFromAllowedRegistry', 'exampleAllowedRegistries'], unrelated: ['serviceType', 'hostPortsUsed'] },
  { intent: 'Every container must set a memory limit', expected: ['containersWithoutResource', 'exampleRequireResourceLimits'], unrelated: ['ingressHosts', 'imageRegistry'] },
  { intent: 'Block privileged containers', expected: ['privilegedContainers', 'exampleDenyPrivileged'], unrelated: ['serviceType', 'ingressHosts'] },
  { intent: 'Forbid deployments from mounting hostPath volumes', expected: ['hostPathVolumes', 'exampleDenyHostPath'], unrelated: ['ingressHosts', 'compareQuantities'] },
  { intent: 'Disallow NodePort services', expected: ['serviceType', 'exampleDenyNodeportServices'], unrelated: ['hostPathVolumes', 'parseQuantity'] },
  { intent: 'Ingress hostnames must end with .corp.io', expected: ['ingressHosts', 'exampleIngressHostDomain'], unrelated: ['containersMayRunAsRoot', 'parseQuantity'] },
  { intent: 'Pods must run as a non-root user', expected: ['containersMayRunAsRoot', 'exampleRequireRunAsNonRoot'], unrelated: ['ingressHosts', 'serviceType'] },
  { intent: 'Require an owner label on every namespace', expected: ['missingLabels', 'hasLabel', 'labelOf', 'exampleRequireTeamLabel'], unrelated: ['parseQuantity', 'hostPortsUsed'] },
  { intent: 'Deny containers that request more than 4 CPUs', expected: ['containersExceeding', 'exampleMaxMemoryLimit'], unrelated: ['ingressHosts', 'imageTag'] },
  { intent: 'Do not let pods use the host network or host PID namespace', expected: ['hostNamespacesUsed'], unrelated: ['missingLabels', 'parseQuantity'] },
  { intent: 'Deny pods that add the NET_ADMIN or SYS_ADMIN capability', expected: ['addedCapabilities'], unrelated: ['serviceType', 'ingressHosts'] },
  { intent: 'Block bare pods that no controller manages', expected: ['isControlledBy', 'exampleDenyBarePods', 'ownerKinds'], unrelated: ['imageTag', 'parseQuantity'] },
  { intent: 'No workloads may be created in the default namespace', expected: ['namespaceOf', 'exampleDenyDefaultNamespace'], unrelated: ['addedCapabilities', 'parseImage'] },
  { intent: 'Deny pods that bind a hostPort', expected: ['hostPortsUsed'], unrelated: ['missingLabels', 'imageRegistry'] },
  { intent: 'Allow at most 10 pods per namespace', expected: ['countObjects'], unrelated: ['imageRegistry', 'ingressHosts'] },
  { intent: 'Containers must not allow privilege escalation', expected: ['privilegeEscalationContainers'], unrelated: ['ingressHosts', 'serviceType'] },
  { intent: 'Deny pods in namespaces labelled env=prod that run debug images', expected: ['namespaceLabels'], unrelated: ['hostPortsUsed', 'serviceType'] },
  { intent: 'Set imagePullPolicy to Always for containers using latest', expected: ['examplePullAlwaysForLatest', 'usesLatestTag'], unrelated: ['serviceType', 'countObjects'] },
  { intent: 'Deployments need the annotation example.com/owner', expected: ['annotationOf'], unrelated: ['hostPathVolumes', 'parseQuantity'] },
  { intent: 'CronJobs must not pull images from Docker Hub', expected: ['imageRegistry', 'imageFromAllowedRegistry', 'parseImage'], unrelated: ['ingressHosts', 'serviceType'] },
  { intent: 'Reject LoadBalancer services outside the networking namespace', expected: ['serviceType', 'exampleDenyNodeportServices'], unrelated: ['hostPathVolumes', 'parseQuantity'] },
];
