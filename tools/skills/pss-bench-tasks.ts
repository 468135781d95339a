// Writes the Pod Security Standards bench tasks (bench-tasks/pss-*/): one intent per control, held-back
// cases from Kubernetes' own pod-security-admission fixtures (skills/pss-fixtures), and the starter
// example's answer, helpers inlined, as the scripted "right" reference.
//
//   npx esbuild tools/skills/pss-bench-tasks.ts --bundle --platform=node --format=esm \
//     --packages=external --outfile=node_modules/.cache/pss-bench-tasks.mjs && node node_modules/.cache/pss-bench-tasks.mjs
//
// test/bench-tasks/references.test.ts holds every task to its reference; re-run this after changing a
// PSS helper or example, and review the diff.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { inlineHelpers } from '../../lib/skills/inline.ts';
import type { ModelAnswer } from '../../lib/model/answer.ts';
import { ofKind } from '../../skills/fixtures.ts';
import { appArmorViolations } from '../../skills/helpers/app-armor-violations.ts';
import { capabilityViolations } from '../../skills/helpers/capability-violations.ts';
import { forbiddenVolumeTypes } from '../../skills/helpers/forbidden-volume-types.ts';
import { hostNamespacesUsed } from '../../skills/helpers/host-namespaces-used.ts';
import { hostPathVolumes } from '../../skills/helpers/host-path-volumes.ts';
import { hostPortsUsed } from '../../skills/helpers/host-ports-used.ts';
import { hostProcessUsed } from '../../skills/helpers/host-process-used.ts';
import { privilegeEscalationContainers } from '../../skills/helpers/privilege-escalation-containers.ts';
import { privilegedContainers } from '../../skills/helpers/privileged-containers.ts';
import { probeHostsUsed } from '../../skills/helpers/probe-hosts-used.ts';
import { procMountViolations } from '../../skills/helpers/proc-mount-violations.ts';
import { runAsNonRootViolations } from '../../skills/helpers/run-as-non-root-violations.ts';
import { runAsUserZero } from '../../skills/helpers/run-as-user-zero.ts';
import { seLinuxViolations } from '../../skills/helpers/se-linux-violations.ts';
import { seccompViolations } from '../../skills/helpers/seccomp-violations.ts';
import { unsafeSysctls } from '../../skills/helpers/unsafe-sysctls.ts';
import { PSS_FIXTURES, PSS_VERSION, type PssFixture } from '../../skills/pss-fixtures/index.ts';
import { loadSourceSkills } from './load.ts';

type Obj = Record<string, unknown>;

interface TaskSpec {
  id: string;
  level: 'baseline' | 'restricted';
  /** The checks whose fail fixtures the task must deny (its own, and those it overrides). */
  checks: string[];
  helper: string;
  example: string;
  findings: (obj: Obj) => string[];
  containers: boolean;
  exemption: 'namespace' | 'label' | 'image' | 'node-exporter';
  rule: string;
  /** When no fixture breaks the control inside a container (AppArmor's are annotations): the offending container. */
  ephemeral?: Obj;
}

const TASKS: TaskSpec[] = [
  { id: 'pss-baseline-hostprocess', level: 'baseline', checks: ['windowsHostProcess'], helper: 'hostProcessUsed', example: 'examplePssHostProcess', findings: hostProcessUsed, containers: true, exemption: 'image', rule: 'Windows HostProcess must stay off: no pod or container may set securityContext.windowsOptions.hostProcess to true' },
  { id: 'pss-baseline-host-namespaces', level: 'baseline', checks: ['hostNamespaces'], helper: 'hostNamespacesUsed', example: 'examplePssHostNamespaces', findings: hostNamespacesUsed, containers: false, exemption: 'namespace', rule: "pods must not share the node's network, PID or IPC namespaces" },
  { id: 'pss-baseline-privileged', level: 'baseline', checks: ['privileged'], helper: 'privilegedContainers', example: 'examplePssPrivileged', findings: privilegedContainers, containers: true, exemption: 'image', rule: 'no container may run in privileged mode' },
  { id: 'pss-baseline-capabilities', level: 'baseline', checks: ['capabilities_baseline'], helper: 'capabilityViolations', example: 'examplePssCapabilitiesBaseline', findings: (o) => capabilityViolations(o, 'baseline'), containers: true, exemption: 'label', rule: 'containers may add only capabilities of the default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT), written exactly so' },
  { id: 'pss-baseline-hostpath', level: 'baseline', checks: ['hostPathVolumes'], helper: 'hostPathVolumes', example: 'examplePssHostPathVolumes', findings: hostPathVolumes, containers: false, exemption: 'node-exporter', rule: 'no hostPath volumes' },
  { id: 'pss-baseline-host-ports', level: 'baseline', checks: ['hostPorts'], helper: 'hostPortsUsed', example: 'examplePssHostPorts', findings: hostPortsUsed, containers: true, exemption: 'namespace', rule: 'containers must not expose ports on the host (hostPort)' },
  { id: 'pss-baseline-probe-hosts', level: 'baseline', checks: ['hostProbesAndHostLifecycle'], helper: 'probeHostsUsed', example: 'examplePssHostProbes', findings: probeHostsUsed, containers: true, exemption: 'label', rule: 'probes and lifecycle hooks must not name a host (httpGet.host or tcpSocket.host)' },
  { id: 'pss-baseline-apparmor', level: 'baseline', checks: ['appArmorProfile'], helper: 'appArmorViolations', example: 'examplePssAppArmor', findings: appArmorViolations, containers: true, exemption: 'image', ephemeral: { securityContext: { appArmorProfile: { type: 'Unconfined' } } }, rule: 'AppArmor may not be disabled or overridden, neither through securityContext.appArmorProfile nor through the container.apparmor.security.beta.kubernetes.io annotations: only RuntimeDefault and Localhost profiles' },
  { id: 'pss-baseline-selinux', level: 'baseline', checks: ['seLinuxOptions'], helper: 'seLinuxViolations', example: 'examplePssSelinux', findings: seLinuxViolations, containers: true, exemption: 'namespace', rule: 'SELinux options may set no user and no role, and a type only of container_t, container_init_t, container_kvm_t or container_engine_t' },
  { id: 'pss-baseline-proc-mount', level: 'baseline', checks: ['procMount'], helper: 'procMountViolations', example: 'examplePssProcMountBaseline', findings: (o) => procMountViolations(o, 'baseline'), containers: true, exemption: 'label', rule: 'containers must keep the Default /proc mount, unless their pod runs with hostUsers: false' },
  { id: 'pss-baseline-seccomp', level: 'baseline', checks: ['seccompProfile_baseline'], helper: 'seccompViolations', example: 'examplePssSeccompBaseline', findings: (o) => seccompViolations(o, 'baseline'), containers: true, exemption: 'image', rule: 'a seccomp profile, wherever set, must be RuntimeDefault or Localhost, never Unconfined' },
  { id: 'pss-baseline-sysctls', level: 'baseline', checks: ['sysctls'], helper: 'unsafeSysctls', example: 'examplePssSysctls', findings: (o) => unsafeSysctls(o), containers: false, exemption: 'label', rule: 'pods may set only the sysctls the standard deems safe' },
  { id: 'pss-restricted-volume-types', level: 'restricted', checks: ['restrictedVolumes', 'hostPathVolumes'], helper: 'forbiddenVolumeTypes', example: 'examplePssVolumeTypes', findings: forbiddenVolumeTypes, containers: false, exemption: 'namespace', rule: 'pod volumes may only be configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret' },
  { id: 'pss-restricted-privilege-escalation', level: 'restricted', checks: ['allowPrivilegeEscalation'], helper: 'privilegeEscalationContainers', example: 'examplePssPrivilegeEscalation', findings: privilegeEscalationContainers, containers: true, exemption: 'image', rule: 'every container must set allowPrivilegeEscalation to false (Windows pods cannot and are exempt)' },
  { id: 'pss-restricted-non-root', level: 'restricted', checks: ['runAsNonRoot'], helper: 'runAsNonRootViolations', example: 'examplePssRunAsNonRoot', findings: runAsNonRootViolations, containers: true, exemption: 'image', rule: 'runAsNonRoot must be true for every container, on the container or on the pod, unless the pod runs with hostUsers: false' },
  { id: 'pss-restricted-run-as-user', level: 'restricted', checks: ['runAsUser'], helper: 'runAsUserZero', example: 'examplePssRunAsUser', findings: runAsUserZero, containers: true, exemption: 'label', rule: 'neither a pod nor a container may set runAsUser to 0, unless the pod runs with hostUsers: false' },
  { id: 'pss-restricted-seccomp', level: 'restricted', checks: ['seccompProfile_restricted', 'seccompProfile_baseline'], helper: 'seccompViolations', example: 'examplePssSeccompRestricted', findings: (o) => seccompViolations(o, 'restricted'), containers: true, exemption: 'namespace', rule: "every container must run under a RuntimeDefault or Localhost seccomp profile, its own or the pod's (Windows pods exempt)" },
  { id: 'pss-restricted-capabilities', level: 'restricted', checks: ['capabilities_restricted', 'capabilities_baseline'], helper: 'capabilityViolations', example: 'examplePssCapabilitiesRestricted', findings: (o) => capabilityViolations(o, 'restricted'), containers: true, exemption: 'image', rule: 'containers must drop ALL capabilities and add back nothing but NET_BIND_SERVICE (Windows pods exempt)' },
  { id: 'pss-restricted-proc-mount', level: 'restricted', checks: ['procMount_restricted', 'procMount'], helper: 'procMountViolations', example: 'examplePssProcMountRestricted', findings: (o) => procMountViolations(o, 'restricted'), containers: true, exemption: 'namespace', rule: 'no container may set procMount to anything but Default, even in a pod with hostUsers: false' },
];

const EXEMPTIONS: Record<TaskSpec['exemption'], string> = {
  namespace: 'the monitoring namespace is exempt',
  label: 'pods labelled pss-exempt=true are exempt',
  image: 'containers whose image comes from ghcr.io/agents/ are exempt',
  'node-exporter': 'pods labelled app=node-exporter are exempt',
};

const podParts = (f: PssFixture): { spec: Obj; metadata: Obj } => {
  const { name: _name, ...metadata } = (f.pod.metadata ?? {}) as Obj;
  return { spec: f.pod.spec as Obj, metadata };
};

const request = (object: Obj, operation = 'CREATE', extra: Obj = {}) => ({ operation, ...extra, object });

function taskFor(t: TaskSpec, answer: ModelAnswer): { task: Obj; reference: ModelAnswer } {
  const where = t.containers
    ? 'Check pods, ephemeral debug containers added to them, and the pod templates of Deployments, StatefulSets, DaemonSets, Jobs and CronJobs'
    : 'Check pods and the pod templates of Deployments, StatefulSets, DaemonSets, Jobs and CronJobs';
  const intent = `Pod Security Standards ${PSS_VERSION} (${t.level}): ${t.rule}. ${where}; ${EXEMPTIONS[t.exemption]}.`;
  const at = (f: PssFixture) => f.level === t.level;
  const fails = PSS_FIXTURES.filter((f) => at(f) && f.expect === 'fail' && t.checks.includes(f.check));
  const passes = PSS_FIXTURES.filter((f) => at(f) && f.expect === 'pass');
  const base = podParts(PSS_FIXTURES.find((f) => at(f) && f.file === 'base.yaml') as PssFixture);
  const ns = { namespace: 'apps' };
  const cases: Obj[] = [];
  for (const f of fails) {
    const { spec, metadata } = podParts(f);
    cases.push({ name: `${f.level}/fail/${f.file} is denied`, request: request(ofKind('Pod', spec, metadata, ns)), expect: { result: 'deny' } });
  }
  const first = podParts(fails[0] as PssFixture);
  cases.push({ name: `${fails[0]?.file} in a Deployment's template is denied`, request: request(ofKind('Deployment', first.spec, first.metadata, ns)), expect: { result: 'deny' } });
  cases.push({ name: `${fails[0]?.file} in a CronJob's job template is denied`, request: request(ofKind('CronJob', first.spec, first.metadata, ns)), expect: { result: 'deny' } });
  if (t.containers) {
    // A compliant pod that kubectl debug extends with the fixture's offending container.
    const found = fails
      .map((f) => {
        const { spec, metadata } = podParts(f);
        const offenders = [...((spec.containers as Obj[]) ?? []), ...((spec.initContainers as Obj[]) ?? [])].map((c, i) => ({ ...c, name: `debugger${i}` }));
        const podSpec = { ...spec, containers: base.spec.containers, initContainers: base.spec.initContainers, ephemeralContainers: offenders };
        return { file: f.file, object: ofKind('Pod', podSpec, metadata, ns) };
      })
      .find((c) => t.findings(c.object).some((x) => x.startsWith('debugger')));
    const fallback = t.ephemeral && { file: 'a hand-made container', object: ofKind('Pod', { ...base.spec, ephemeralContainers: [{ name: 'debugger0', image: 'busybox:1.36', ...t.ephemeral }] }, {}, ns) };
    if (fallback && !t.findings(fallback.object).some((x) => x.startsWith('debugger'))) throw new Error(`${t.id}: the hand-made ephemeral container breaks nothing`);
    if (!found && !fallback) throw new Error(`${t.id}: no fixture gives an ephemeral-container violation`);
    const ephemeral = (found ?? fallback) as { file: string; object: Obj };
    cases.push({ name: `${ephemeral.file}'s containers added with kubectl debug (pods/ephemeralcontainers) are denied`, request: request(ephemeral.object, 'UPDATE', { subResource: 'ephemeralcontainers', oldObject: ephemeral.object }), expect: { result: 'deny' } });
  }
  for (const f of passes) {
    const { spec, metadata } = podParts(f);
    cases.push({ name: `${f.level}/pass/${f.file} is allowed`, request: request(ofKind('Pod', spec, metadata, ns)), expect: { result: 'allow' } });
  }
  const { spec: badSpec, metadata: badMeta } = first;
  if (t.exemption === 'namespace') {
    cases.push({ name: `${fails[0]?.file} in the exempt monitoring namespace is allowed`, request: request(ofKind('Pod', badSpec, badMeta, { namespace: 'monitoring' })), expect: { result: 'allow' } });
  } else if (t.exemption === 'label' || t.exemption === 'node-exporter') {
    const [key, value] = t.exemption === 'label' ? ['pss-exempt', 'true'] : ['app', 'node-exporter'];
    const labelled = { ...badMeta, labels: { ...((badMeta.labels as Obj) ?? {}), [key]: value } };
    cases.push({ name: `${fails[0]?.file} labelled ${key}=${value} is allowed`, request: request(ofKind('Pod', badSpec, labelled, ns)), expect: { result: 'allow' } });
    cases.push({ name: `so is a DaemonSet whose pod template carries ${key}=${value}`, request: request(ofKind('DaemonSet', badSpec, labelled, ns)), expect: { result: 'allow' } });
  } else {
    // Every container from the exempt registry prefix, with the fixture's container-level violation.
    const exemptImages = (cs: unknown) => ((cs as Obj[]) ?? []).map((c) => ({ ...c, image: 'ghcr.io/agents/node-agent:1.4' }));
    const containerLevel = fails.map(podParts).find(({ spec, metadata }) => {
      const obj = ofKind('Pod', spec, metadata, ns);
      return t.findings(obj).length > 0 && t.findings(obj).every((x) => /^(container1|initcontainer1)(:|$)/.test(x));
    });
    if (!containerLevel) throw new Error(`${t.id}: no container-level fixture for an image exemption`);
    const spec = { ...containerLevel.spec, containers: exemptImages(containerLevel.spec.containers), initContainers: exemptImages(containerLevel.spec.initContainers) };
    cases.push({ name: 'the same violation in containers from ghcr.io/agents/ is allowed', request: request(ofKind('Pod', spec, containerLevel.metadata, ns)), expect: { result: 'allow' } });
    const lookalike = { ...spec, containers: ((spec.containers as Obj[]) ?? []).map((c) => ({ ...c, image: 'ghcr.io/agents-evil/node-agent:1.4' })) };
    cases.push({ name: 'a look-alike registry path (ghcr.io/agents-evil/) is not exempt', request: request(ofKind('Pod', lookalike, containerLevel.metadata, ns)), expect: { result: 'deny' } });
  }
  cases.push({ name: 'kube-system is never matched', request: request(ofKind('Pod', badSpec, badMeta, { namespace: 'kube-system' })), expect: { result: 'unmatched' } });
  const old = ofKind('Pod', badSpec, badMeta, ns);
  cases.push({ name: 'deleting a violating pod is let through', request: { operation: 'DELETE', oldObject: old }, expect: { result: ['allow', 'unmatched'] } });
  const task = {
    intent,
    tags: ['validating', 'core', 'namespaced', 'multi-resource'],
    expectedSkills: [t.helper, t.example],
    cases,
  };
  return { task, reference: answer };
}

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  const library = (await loadSourceSkills(path.join(root, 'skills'))).map((s) => ({ ...s, status: { verified: true } }));
  for (const t of TASKS) {
    const example = library.find((s) => s.spec.function === t.example)?.spec.example;
    if (!example) throw new Error(`${t.example}: no such example`);
    const { intent: _intent, ...answer } = example;
    const reference: ModelAnswer = { ...answer, policy: { ...answer.policy, javascript: inlineHelpers(answer.policy.javascript, library).javascript } };
    const { task } = taskFor(t, reference);
    const dir = path.join(root, 'bench-tasks', t.id);
    mkdirSync(dir, { recursive: true });
    const header = `# ${t.id}: held-back cases the model never sees (tools/bench/tasks.ts describes the format). Generated by\n# tools/skills/pss-bench-tasks.ts from Kubernetes' pod-security-admission ${PSS_VERSION} fixtures (skills/pss-fixtures/NOTICE).\n`;
    writeFileSync(path.join(dir, 'task.yaml'), header + stringify(task, { lineWidth: 0, aliasDuplicateObjects: false }));
    writeFileSync(path.join(dir, 'reference.json'), `${JSON.stringify(reference, null, 2)}\n`);
    console.log(`wrote bench-tasks/${t.id} (${(task.cases as unknown[]).length} cases)`);
  }
}

await main();
