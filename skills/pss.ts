// The Pod Security Standards examples (skills/examples/pss-*.ts): one per control of the baseline and
// restricted profiles, all built the same way so the model sees one pattern — a check helper, its
// findings filtered through withoutExempt (exemptions by namespace, pod label and image), one deny —
// over Pods, their ephemeral containers and every pod-bearing workload.
import { ofKind, pod, requestJson, type ExampleSource } from './fixtures.ts';
import { PSS_VERSION } from './pss-fixtures/index.ts';

type Obj = Record<string, unknown>;

export interface PssControl {
  /** The intent, as a person would write it. */
  intent: string;
  keywords: string[];
  level: 'baseline' | 'restricted';
  /** pod-security-admission's check ID (skills/pss-fixtures). */
  check: string;
  /** The check helper's call over request.object. */
  call: string;
  /** What is wrong, after the findings: "must not set securityContext.privileged=true". */
  message: string;
  /** A container-level control: its findings are container names, so ephemeral containers and image exemptions apply. */
  containers: boolean;
  denies: string;
  allows: string;
  /** A pod spec that breaks the control, and the text the findings then contain. */
  bad: Obj;
  badDetail: string;
  /** Pod metadata for the bad pod (annotations), when the control reads it. */
  badMetadata?: Obj;
  /** A pod spec that keeps it. */
  good: Obj;
  /** The workload kind the second deny test uses (each example shows another). */
  workload: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';
  /** The exemptions the example's EXEMPT declares (default: namespace monitoring, label pss-exempt=true, image prefix ghcr.io/agents/). */
  exempt?: { namespaces: string[]; labels: Record<string, string>; images: string[] };
  /** Which exemption its test shows. */
  exemptTest: 'namespace' | 'label' | 'image';
}

// The workloads whose pod templates the examples check at admission, besides Pods themselves (the point of
// enforcement: every pod, whoever creates it, is checked). ReplicaSets, ReplicationControllers and
// PodTemplates are left out for brevity: their pods are still checked, and the helpers read them too.
const WORKLOADS: [string, string][] = [
  ['apps', 'deployments'],
  ['apps', 'statefulsets'],
  ['apps', 'daemonsets'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
];

const DEFAULT_EXEMPT = { namespaces: ['monitoring'], labels: { 'pss-exempt': 'true' }, images: ['ghcr.io/agents/'] };

/** The exemptions as the JavaScript object literal the example declares. */
function literal(e: { namespaces: string[]; labels: Record<string, string>; images: string[] }): string {
  const q = (x: string) => `'${x}'`;
  const list = (xs: string[]) => `[${xs.map(q).join(', ')}]`;
  const labels = Object.entries(e.labels).map(([k, v]) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : q(k)}: ${q(v)}`);
  return `{ namespaces: ${list(e.namespaces)}, labels: {${labels.length ? ` ${labels.join(', ')} ` : ''}}, images: ${list(e.images)} }`;
}

/** The bad pod spec with the violation moved to an ephemeral container: what `kubectl debug` would add. */
function ephemeralRequest(bad: Obj): string {
  const spec = bad as { containers?: Obj[]; initContainers?: Obj[] };
  const offender = (spec.containers ?? spec.initContainers ?? [])[0] ?? {};
  const object = pod({ containers: [{ name: 'app', image: 'app:1' }], ephemeralContainers: [{ ...offender, name: 'debugger', image: 'busybox:1.36' }] }, { namespace: 'shop' });
  return JSON.stringify({ ...JSON.parse(requestJson(object, 'UPDATE')), subResource: 'ephemeralcontainers' });
}

export function pssExample(c: PssControl): ExampleSource {
  const exempt = c.exempt ?? DEFAULT_EXEMPT;
  const resources = ['pods', ...(c.containers ? ['pods/ephemeralcontainers'] : []), ...WORKLOADS.map(([, r]) => r)];
  const groupOf = (r: string) => (r.startsWith('pods') ? '' : (WORKLOADS.find(([, w]) => w === r)?.[0] ?? ''));
  const label = `PSS ${c.level} (${c.check})`;
  const shop = { namespace: 'shop' };
  const tests = [
    { name: 'a pod', request: requestJson(pod(c.bad, { ...shop, ...(c.badMetadata ?? {}) })), expect: 'deny' as const, detail: c.badDetail },
    { name: `a ${c.workload}`, request: requestJson(ofKind(c.workload, c.bad, c.badMetadata ?? {}, shop)), expect: 'deny' as const, detail: c.badDetail },
    ...(c.containers ? [{ name: 'a kubectl debug container', request: ephemeralRequest(c.bad), expect: 'deny' as const, detail: 'debugger' }] : []),
    { name: 'a compliant pod', request: requestJson(pod(c.good, shop)), expect: 'allow' as const, detail: '' },
    c.exemptTest === 'namespace'
      ? { name: 'an exempt namespace', request: requestJson(pod(c.bad, { namespace: exempt.namespaces[0], ...(c.badMetadata ?? {}) })), expect: 'allow' as const, detail: '' }
      : c.exemptTest === 'label'
        ? (() => {
            const [key, value] = Object.entries(exempt.labels)[0] as [string, string];
            return { name: 'an exempt label', request: requestJson(ofKind('Deployment', c.bad, { ...(c.badMetadata ?? {}), labels: { [key]: value } }, shop)), expect: 'allow' as const, detail: '' };
          })()
        : (() => {
            const spec = c.bad as { containers?: Obj[] };
            const image = `${(exempt.images[0] as string).replace(/\/$/, '')}/netdebug:2`;
            const exemptSpec = { ...c.bad, containers: (spec.containers ?? []).map((x) => ({ ...x, image })) };
            return { name: 'an exempt image', request: requestJson(pod(exemptSpec, { ...shop, ...(c.badMetadata ?? {}) })), expect: 'allow' as const, detail: '' };
          })(),
  ];
  return {
    intent: c.intent,
    keywords: ['pss', c.level, ...c.keywords],
    answer: {
      plan: {
        summary: `PSS ${PSS_VERSION} ${c.level} control ${c.check}; exemptions in EXEMPT`,
        resources: resources.map((r) => ({ group: groupOf(r), version: 'v1', resource: r })),
        operations: ['CREATE', 'UPDATE'],
        namespaces: [],
        denies: c.denies,
        allows: c.allows,
        mutates: '',
      },
      policy: {
        type: 'Validating',
        operations: ['CREATE', 'UPDATE'],
        resources,
        apiGroups: ['', 'apps', 'batch'],
        apiVersions: ['v1'],
        scope: 'Namespaced',
        objectSelector: '',
        javascript: [
          `var EXEMPT = ${literal(exempt)};`,
          `var bad = withoutExempt(request, EXEMPT, ${c.call});`,
          `if (bad.length > 0) deny('${label}: ' + bad.join(', ') + ' ${c.message}');`,
        ].join('\n'),
      },
      tests,
    },
  };
}
