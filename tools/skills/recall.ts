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
  { intent: 'Block privileged containers', expected: ['privilegedContainers', 'examplePssPrivileged'], unrelated: ['serviceType', 'ingressHosts'] },
  { intent: 'Forbid deployments from mounting hostPath volumes', expected: ['hostPathVolumes', 'examplePssHostPathVolumes'], unrelated: ['ingressHosts', 'compareQuantities'] },
  { intent: 'Disallow NodePort services', expected: ['serviceType', 'exampleDenyNodeportServices'], unrelated: ['hostPathVolumes', 'parseQuantity'] },
  { intent: 'Ingress hostnames must end with .corp.io', expected: ['ingressHosts', 'exampleIngressHostDomain'], unrelated: ['containersMayRunAsRoot', 'parseQuantity'] },
  { intent: 'Pods must run as a non-root user', expected: ['containersMayRunAsRoot', 'runAsNonRootViolations', 'examplePssRunAsNonRoot'], unrelated: ['ingressHosts', 'serviceType'] },
  { intent: 'Require an owner label on every namespace', expected: ['missingLabels', 'hasLabel', 'labelOf', 'exampleRequireTeamLabel'], unrelated: ['parseQuantity', 'hostPortsUsed'] },
  { intent: 'Deny containers that request more than 4 CPUs', expected: ['containersExceeding', 'exampleMaxMemoryLimit'], unrelated: ['ingressHosts', 'imageTag'] },
  { intent: 'Do not let pods use the host network or host PID namespace', expected: ['hostNamespacesUsed', 'examplePssHostNamespaces'], unrelated: ['missingLabels', 'parseQuantity'] },
  { intent: 'Deny pods that add the NET_ADMIN or SYS_ADMIN capability', expected: ['capabilitiesAddedFrom', 'addedCapabilities'], unrelated: ['serviceType', 'ingressHosts'] },
  { intent: 'Block bare pods that no controller manages', expected: ['isControlledBy', 'exampleDenyBarePods', 'ownerKinds'], unrelated: ['imageTag', 'parseQuantity'] },
  { intent: 'No workloads may be created in the default namespace', expected: ['namespaceOf', 'exampleDenyDefaultNamespace'], unrelated: ['addedCapabilities', 'parseImage'] },
  { intent: 'Deny pods that bind a hostPort', expected: ['hostPortsUsed', 'examplePssHostPorts'], unrelated: ['missingLabels', 'imageRegistry'] },
  { intent: 'Allow at most 10 pods per namespace', expected: ['countObjects'], unrelated: ['imageRegistry', 'ingressHosts'] },
  { intent: 'Containers must not allow privilege escalation', expected: ['privilegeEscalationContainers', 'examplePssPrivilegeEscalation'], unrelated: ['ingressHosts', 'serviceType'] },
  { intent: 'Deny pods in namespaces labelled env=prod that run debug images', expected: ['namespaceLabels'], unrelated: ['hostPortsUsed', 'serviceType'] },
  { intent: 'Set imagePullPolicy to Always for containers using latest', expected: ['examplePullAlwaysForLatest', 'usesLatestTag'], unrelated: ['serviceType', 'countObjects'] },
  { intent: 'Deployments need the annotation example.com/owner', expected: ['annotationOf'], unrelated: ['hostPathVolumes', 'parseQuantity'] },
  { intent: 'CronJobs must not pull images from Docker Hub', expected: ['imageRegistry', 'imageFromAllowedRegistry', 'parseImage'], unrelated: ['ingressHosts', 'serviceType'] },
  { intent: 'Reject LoadBalancer services outside the networking namespace', expected: ['serviceType', 'exampleDenyNodeportServices'], unrelated: ['hostPathVolumes', 'parseQuantity'] },
  // The Pod Security Standards controls (v1.35), one intent each, worded as an administrator would.
  { intent: 'Windows pods must not run as HostProcess containers', expected: ['hostProcessUsed', 'examplePssHostProcess'], unrelated: ['ingressHosts', 'countObjects'] },
  { intent: 'Pods may not use hostNetwork, hostPID or hostIPC', expected: ['hostNamespacesUsed', 'examplePssHostNamespaces'], unrelated: ['serviceType', 'parseQuantity'] },
  { intent: 'Only the default capabilities may be added to containers, except in the monitoring namespace', expected: ['capabilityViolations', 'examplePssCapabilitiesBaseline', 'addedCapabilities'], unrelated: ['ingressHosts', 'serviceType'] },
  { intent: 'Liveness and readiness probes must not point at another host', expected: ['probeHostsUsed', 'examplePssHostProbes'], unrelated: ['ingressHosts', 'imageTag'] },
  { intent: 'Containers must not run with an unconfined AppArmor profile', expected: ['appArmorViolations', 'examplePssAppArmor'], unrelated: ['serviceType', 'countObjects'] },
  { intent: 'Forbid custom SELinux options such as type spc_t', expected: ['seLinuxViolations', 'examplePssSelinux'], unrelated: ['ingressHosts', 'parseQuantity'] },
  { intent: 'Containers must not set procMount to Unmasked', expected: ['procMountViolations', 'examplePssProcMountBaseline', 'examplePssProcMountRestricted'], unrelated: ['serviceType', 'ingressHosts'] },
  { intent: 'No pod may disable seccomp with an Unconfined profile', expected: ['seccompViolations', 'examplePssSeccompBaseline'], unrelated: ['ingressHosts', 'countObjects'] },
  { intent: 'Pods may only set safe sysctls', expected: ['unsafeSysctls', 'examplePssSysctls'], unrelated: ['serviceType', 'imageTag'] },
  { intent: 'Pods may only mount configMap, secret, emptyDir and persistentVolumeClaim volumes, no NFS', expected: ['forbiddenVolumeTypes', 'examplePssVolumeTypes'], unrelated: ['ingressHosts', 'serviceType'] },
  { intent: 'Every container needs allowPrivilegeEscalation set to false, except images from ghcr.io/acme/debug/', expected: ['privilegeEscalationContainers', 'examplePssPrivilegeEscalation'], unrelated: ['serviceType', 'countObjects'] },
  { intent: 'Pods must set runAsNonRoot to true', expected: ['runAsNonRootViolations', 'examplePssRunAsNonRoot'], unrelated: ['ingressHosts', 'parseQuantity'] },
  { intent: 'Deny containers that run with runAsUser 0', expected: ['runAsUserZero', 'examplePssRunAsUser'], unrelated: ['serviceType', 'imageTag'] },
  { intent: 'Require a RuntimeDefault seccomp profile on every pod', expected: ['seccompViolations', 'examplePssSeccompRestricted'], unrelated: ['ingressHosts', 'countObjects'] },
  { intent: 'Containers must drop ALL capabilities; only NET_BIND_SERVICE may be added', expected: ['capabilityViolations', 'examplePssCapabilitiesRestricted'], unrelated: ['serviceType', 'parseQuantity'] },
  { intent: 'No privileged containers in any namespace except those labelled pss-exempt=true', expected: ['privilegedContainers', 'examplePssPrivileged', 'withoutExempt'], unrelated: ['ingressHosts', 'serviceType'] },
  { intent: 'Forbid hostPath volumes except for the node-exporter DaemonSet', expected: ['hostPathVolumes', 'examplePssHostPathVolumes'], unrelated: ['ingressHosts', 'parseQuantity'] },
  { intent: 'Containers may not use hostPort', expected: ['hostPortsUsed', 'examplePssHostPorts'], unrelated: ['ingressHosts', 'countObjects'] },
  { intent: 'Enforce the restricted profile of the Pod Security Standards for pod volumes', expected: ['forbiddenVolumeTypes', 'examplePssVolumeTypes'], unrelated: ['ingressHosts', 'serviceType'] },
  // The fixed helpers' edge: a CPU limit compared exactly, registries by prefix.
  { intent: 'CPU limits may not exceed 700m', expected: ['containersExceeding', 'compareQuantities', 'exampleMaxMemoryLimit'], unrelated: ['ingressHosts', 'hostPortsUsed'] },
  { intent: 'Only allow images under the openpolicyagent/ repository prefix on Docker Hub', expected: ['imageFromAllowedRegistry', 'exampleAllowedRegistries'], unrelated: ['serviceType', 'hostPortsUsed'] },
  { intent: 'Ingresses with a rule for every host or a default backend are not allowed', expected: ['ingressHosts', 'exampleIngressHostDomain'], unrelated: ['hostPortsUsed', 'parseQuantity'] },
];
