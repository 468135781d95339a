import { admit, cronJob, deployment, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';

const EX = JSON.stringify({ namespaces: ['monitoring'], labels: { 'pss-exempt': 'true' }, images: ['ghcr.io/platform-agents/', 'docker.io/library/busybox'] });
const spec = {
  hostNetwork: true,
  containers: [{ name: 'app', image: 'registry.example.com/app:1', securityContext: { privileged: true } }],
  initContainers: [{ name: 'tools', image: 'ghcr.io/platform-agents/netdebug:2', securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN'] } } }],
};
const items = '["app", "tools", "tools:NET_ADMIN", "hostNetwork", "spec.securityContext.runAsUser=0"]';
const call = `withoutExempt(request, ${EX}, ${items}).join(",")`;
export const cases = [
  truthy('no exemption applies: only the exempt image\'s container findings go', call, '"app,hostNetwork,spec.securityContext.runAsUser=0"', admit(pod(spec, { namespace: 'shop' }))),
  truthy('exempt namespace: nothing left', `${call} === ""`, 'true', admit(pod(spec, { namespace: 'monitoring' }))),
  truthy('exempt pod label: nothing left', `${call} === ""`, 'true', admit(pod(spec, { labels: { 'pss-exempt': 'true' } }))),
  truthy('another label value does not exempt', call, '"app,hostNetwork', admit(pod(spec, { labels: { 'pss-exempt': 'false' } }))),
  truthy('a workload\'s template label exempts', `${call} === ""`, 'true', admit(deployment(spec, {}, { labels: { 'pss-exempt': 'true' } }))),
  truthy('a workload\'s own label does not (its pods would not carry it)', call, '"app,hostNetwork', admit(deployment(spec, { labels: { 'pss-exempt': 'true' } }))),
  truthy('cronjob template label', `${call} === ""`, 'true', admit(cronJob(spec, {}, { labels: { 'pss-exempt': 'true' } }))),
  truthy('image entries are normalised: busybox is docker.io/library/busybox', `withoutExempt(request, ${EX}, ["debug", "app"]).join(",")`, '"app"', ephemeralUpdate(pod({ containers: spec.containers, ephemeralContainers: [{ name: 'debug', image: 'busybox:1.36', securityContext: { privileged: true } }] }))),
  truthy('a look-alike image is not exempt', `withoutExempt(request, ${EX}, ["tools"]).join(",")`, '"tools"', admit(pod({ containers: [{ name: 'tools', image: 'ghcr.io/platform-agents-evil/x:1' }] }))),
  truthy('a pod-level finding that looks like a name stays', `withoutExempt(request, ${EX}, ["hostNetwork", "tools.x", "volumes[tools]: nfs"]).join(",")`, '"hostNetwork,tools.x,volumes[tools]: nfs"', admit(pod({ containers: [{ name: 'tools', image: 'busybox' }] }))),
  truthy('no exemptions: the items as they are', 'withoutExempt(request, {}, ["a", "b"]).join(",")', '"a,b"', admit(pod(spec))),
  truthy('no items: none', 'withoutExempt(request, ' + EX + ', []).length === 0', 'true', admit(pod(spec))),
  ...kindCases('image exemption in every kind', call, '"app,hostNetwork,spec.securityContext.runAsUser=0"', spec),
];
export const keywords = ['exempt', 'exemption', 'exemptions', 'exception', 'exceptions', 'except', 'excluding', 'exclude', 'excluded', 'waiver', 'bypass', 'skip', 'pss'];
