// The Pod Security Standards in the starter library, held to Kubernetes' own oracle: the
// pod-security-admission fixtures of the pinned version (skills/pss-fixtures, see its NOTICE).
//
// - the copied YAML and the generated module agree, and every check of that version has a control;
// - the check helpers (the TypeScript modules) agree with every fixture of their profile, in a Pod and
//   in every pod-bearing kind, and with the fixture's init containers turned into ephemeral ones;
// - every PSS example, helpers inlined, run by the local jsPolicy runtime (V8 9.6), allows each pass
//   fixture and denies each fail fixture of its control — as a Pod, as each workload it matches, on
//   the pods/ephemeralcontainers subresource — and honours its exemptions.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import type { JsPolicy } from '../../lib/k8s/types.ts';
import { inlineHelpers } from '../../lib/skills/inline.ts';
import type { PolicySkill } from '../../lib/skills/types.ts';
import { exampleJsPolicy } from '../../lib/skills/verify.ts';
import { runPolicyTestCases, type PolicyTestCase } from '../../tools/runtime/index.ts';
import { ofKind, POD_KINDS } from '../../skills/fixtures.ts';
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
import { repoRoot, skillsDir, starterLibrary } from './library.ts';

type Obj = Record<string, unknown>;
type Level = 'baseline' | 'restricted';

interface Control {
  /** pod-security-admission's check ID. */
  check: string;
  /** The checks of the lower profile it replaces at this one (OverrideCheckIDs). */
  overrides?: string[];
  level: Level;
  findings: (obj: Obj) => string[];
  /** The starter example for it. */
  example: string;
}

const baseline: Control[] = [
  { check: 'windowsHostProcess', level: 'baseline', findings: hostProcessUsed, example: 'examplePssHostProcess' },
  { check: 'hostNamespaces', level: 'baseline', findings: hostNamespacesUsed, example: 'examplePssHostNamespaces' },
  { check: 'privileged', level: 'baseline', findings: privilegedContainers, example: 'examplePssPrivileged' },
  { check: 'capabilities_baseline', level: 'baseline', findings: (o) => capabilityViolations(o, 'baseline'), example: 'examplePssCapabilitiesBaseline' },
  { check: 'hostPathVolumes', level: 'baseline', findings: hostPathVolumes, example: 'examplePssHostPathVolumes' },
  { check: 'hostPorts', level: 'baseline', findings: hostPortsUsed, example: 'examplePssHostPorts' },
  { check: 'hostProbesAndHostLifecycle', level: 'baseline', findings: probeHostsUsed, example: 'examplePssHostProbes' },
  { check: 'appArmorProfile', level: 'baseline', findings: appArmorViolations, example: 'examplePssAppArmor' },
  { check: 'seLinuxOptions', level: 'baseline', findings: seLinuxViolations, example: 'examplePssSelinux' },
  { check: 'procMount', level: 'baseline', findings: (o) => procMountViolations(o, 'baseline'), example: 'examplePssProcMountBaseline' },
  { check: 'seccompProfile_baseline', level: 'baseline', findings: (o) => seccompViolations(o, 'baseline'), example: 'examplePssSeccompBaseline' },
  { check: 'sysctls', level: 'baseline', findings: (o) => unsafeSysctls(o), example: 'examplePssSysctls' },
];
const restrictedOnly: Control[] = [
  { check: 'restrictedVolumes', overrides: ['hostPathVolumes'], level: 'restricted', findings: forbiddenVolumeTypes, example: 'examplePssVolumeTypes' },
  { check: 'allowPrivilegeEscalation', level: 'restricted', findings: privilegeEscalationContainers, example: 'examplePssPrivilegeEscalation' },
  { check: 'runAsNonRoot', level: 'restricted', findings: runAsNonRootViolations, example: 'examplePssRunAsNonRoot' },
  { check: 'runAsUser', level: 'restricted', findings: runAsUserZero, example: 'examplePssRunAsUser' },
  { check: 'seccompProfile_restricted', overrides: ['seccompProfile_baseline'], level: 'restricted', findings: (o) => seccompViolations(o, 'restricted'), example: 'examplePssSeccompRestricted' },
  { check: 'capabilities_restricted', overrides: ['capabilities_baseline'], level: 'restricted', findings: (o) => capabilityViolations(o, 'restricted'), example: 'examplePssCapabilitiesRestricted' },
  { check: 'procMount_restricted', overrides: ['procMount'], level: 'restricted', findings: (o) => procMountViolations(o, 'restricted'), example: 'examplePssProcMountRestricted' },
];
/** The controls a profile evaluates: restricted runs baseline's, minus the ones it overrides, plus its own. */
const PROFILE: Record<Level, Control[]> = {
  baseline,
  restricted: [...baseline.filter((b) => !restrictedOnly.some((r) => r.overrides?.includes(b.check))), ...restrictedOnly],
};
const ALL_CONTROLS = [...baseline, ...restrictedOnly];

/** The control of a profile that must catch a fixture of `check`. */
const owner = (level: Level, check: string): Control | undefined => PROFILE[level].find((c) => c.check === check || c.overrides?.includes(check));

const podParts = (f: PssFixture): { spec: Obj; metadata: Obj } => {
  const { name: _name, ...metadata } = (f.pod.metadata ?? {}) as Obj;
  return { spec: f.pod.spec as Obj, metadata };
};

/** The fixture's pod spec with its init containers run as ephemeral containers instead. */
function asEphemeral(spec: Obj): Obj {
  const { initContainers, ...rest } = spec as { initContainers?: Obj[] };
  return { ...rest, ephemeralContainers: initContainers ?? [] };
}

describe(`the Kubernetes ${PSS_VERSION} pod-security-admission fixtures`, () => {
  const dir = path.join(skillsDir, 'pss-fixtures', PSS_VERSION);

  test('are copied with attribution, and the module is generated from exactly those YAML files', () => {
    const notice = readFileSync(path.join(skillsDir, 'pss-fixtures', 'NOTICE'), 'utf8');
    expect(notice).toMatch(/Apache License, Version 2\.0/);
    expect(notice).toMatch(/The Kubernetes Authors/);
    expect(notice).toContain(`${PSS_VERSION}`);
    const files: { level: string; expect: string; file: string; pod: unknown }[] = [];
    for (const level of ['baseline', 'restricted']) {
      for (const verdict of ['pass', 'fail']) {
        for (const file of readdirSync(path.join(dir, level, verdict)).sort()) {
          files.push({ level, expect: verdict, file, pod: parse(readFileSync(path.join(dir, level, verdict, file), 'utf8')) });
        }
      }
    }
    expect(PSS_FIXTURES.map((f) => ({ level: f.level, expect: f.expect, file: f.file, pod: f.pod }))).toEqual(files);
    expect(files).toHaveLength(148);
  });

  test('every check of the version has a control, each with its helper and its example', async () => {
    const checks = new Set(PSS_FIXTURES.map((f) => f.check).filter((c) => c !== ''));
    const covered = new Set(ALL_CONTROLS.flatMap((c) => [c.check, ...(c.overrides ?? [])]));
    expect([...checks].sort()).toEqual([...covered].sort());
    expect(ALL_CONTROLS).toHaveLength(19);
    const library = await starterLibrary();
    for (const c of ALL_CONTROLS) {
      const example = library.find((s) => s.spec.function === c.example);
      expect(example?.status?.verified, c.example).toBe(true);
      expect(example?.spec.example?.plan.summary, c.example).toContain(`control ${c.check}`);
    }
  });

  test("the README's skill-library section lists every control and the pinned version", () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(`Kubernetes ${PSS_VERSION}`);
    for (const c of ALL_CONTROLS) expect(readme, c.check).toContain(`\`${c.check}\``);
  });
});

describe('the check helpers agree with every fixture of their profile, in every kind', () => {
  const cases = PSS_FIXTURES.map((f) => [`${f.level}/${f.expect}/${f.file}`, f] as const);
  test.each(cases)('%s', (_name, f) => {
    const { spec, metadata } = podParts(f);
    for (const [label, podSpec] of [
      ['', spec],
      [' (init containers as ephemeral ones)', asEphemeral(spec)],
    ] as const) {
      for (const kind of POD_KINDS) {
        const obj = ofKind(kind, podSpec, metadata);
        const findings = PROFILE[f.level].map((c) => [c.check, c.findings(obj)] as const).filter(([, found]) => found.length > 0);
        if (f.expect === 'pass') {
          expect(findings, `${kind}${label}`).toEqual([]);
        } else {
          const control = owner(f.level, f.check) as Control;
          expect(control, f.check).toBeDefined();
          expect(findings.map(([check]) => check), `${kind}${label}`).toContain(control.check);
        }
      }
    }
  });
});

// ---- the examples, as the emitted policies run them ----

function kindOf(resource: string): (typeof POD_KINDS)[number] | undefined {
  const map: Record<string, (typeof POD_KINDS)[number]> = { deployments: 'Deployment', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet', replicasets: 'ReplicaSet', replicationcontrollers: 'ReplicationController', jobs: 'Job', cronjobs: 'CronJob', podtemplates: 'PodTemplate' };
  return map[resource];
}

function exampleCases(control: Control, policy: JsPolicy, exempt: { namespaces?: string[]; labels?: Record<string, string> }): PolicyTestCase[] {
  const resources = policy.spec.resources ?? [];
  const cases: PolicyTestCase[] = [];
  for (const f of PSS_FIXTURES) {
    if (f.level !== control.level) continue;
    const own = f.expect === 'fail' && owner(control.level, f.check) === control;
    if (f.expect === 'fail' && !own) continue;
    const result = f.expect === 'pass' ? 'allow' : 'deny';
    const { spec, metadata } = podParts(f);
    const name = `${f.level}/${f.expect}/${f.file}`;
    const objects: [string, Obj][] = [['Pod', ofKind('Pod', spec, metadata, { namespace: 'shop' })]];
    for (const r of resources) {
      const kind = kindOf(r);
      if (kind) objects.push([kind, ofKind(kind, spec, metadata, { namespace: 'shop' })]);
    }
    for (const [kind, object] of objects) cases.push({ name: `${name} as ${kind}`, request: { operation: 'CREATE', object } as never, expect: { result } });
    if (resources.includes('pods/ephemeralcontainers')) {
      const object = ofKind('Pod', asEphemeral(spec), metadata, { namespace: 'shop' });
      cases.push({ name: `${name}, init containers as ephemeral ones (pods/ephemeralcontainers)`, request: { operation: 'UPDATE', subResource: 'ephemeralcontainers', object, oldObject: object } as never, expect: { result } });
    }
    if (own) {
      // The exemptions the example declares: a namespace, a pod label.
      for (const ns of exempt.namespaces ?? []) cases.push({ name: `${name} in exempt namespace ${ns}`, request: { operation: 'CREATE', object: ofKind('Pod', spec, metadata, { namespace: ns }) } as never, expect: { result: 'allow' } });
      for (const [key, value] of Object.entries(exempt.labels ?? {})) {
        const labelled = { ...metadata, labels: { ...((metadata.labels as Obj) ?? {}), [key]: value } };
        cases.push({ name: `${name} labelled ${key}=${value}, as a Deployment`, request: { operation: 'CREATE', object: ofKind('Deployment', spec, labelled, { namespace: 'shop' }) } as never, expect: { result: resources.includes('deployments') ? 'allow' : 'unmatched' } });
      }
    }
  }
  return cases;
}

describe('every PSS example, helpers inlined, in the local jsPolicy runtime', async () => {
  const library = await starterLibrary();
  const byName = new Map(library.map((s) => [s.spec.function, s] as const));
  test.each(ALL_CONTROLS.map((c) => [c.example, c] as const))('%s', (name, control) => {
    const skill = byName.get(name) as PolicySkill;
    const example = skill.spec.example as NonNullable<PolicySkill['spec']['example']>;
    const inlined = inlineHelpers(example.policy.javascript, library);
    expect(inlined.missing).toEqual([]);
    const policy = exampleJsPolicy(example, inlined.javascript);
    // The exemptions, as the example declares them in its first statement.
    const declared = /var EXEMPT = (\{.*\});/.exec(example.policy.javascript)?.[1] ?? '{}';
    const exempt = new Function(`return (${declared});`)() as { namespaces?: string[]; labels?: Record<string, string> };
    const cases = exampleCases(control, policy, exempt);
    expect(cases.length).toBeGreaterThan(10);
    const failures = runPolicyTestCases(policy, cases).filter((r) => r.failures.length > 0);
    expect(failures.map((r) => `${r.name}: ${r.failures.join('; ')}`)).toEqual([]);
  });
});

test('the fixtures stay where the NOTICE says', () => {
  expect(existsSync(path.join(skillsDir, 'pss-fixtures', PSS_VERSION, 'restricted', 'pass', 'base.yaml'))).toBe(true);
});
