// What the sandbox costs inside a jsPolicy-like run, measured in fresh vm contexts (the numbers are
// printed; the bounds asserted are loose). jsPolicy recompiles the whole controller script per event,
// so the load cost of the bundle (which holds ses as a string) is paid on every event, the rest only
// when a candidate runs.
import { expect, it } from 'vitest';
import { admission, pod, SandboxHost, sandboxBundle } from './harness.ts';

const CANDIDATE = `
const obj = request.object;
const containers = (obj.spec && obj.spec.containers) || [];
for (const c of containers) {
  if (!c.image || c.image.endsWith(':latest') || !c.image.includes(':')) {
    deny('container ' + c.name + ' must pin an image tag');
  }
  if (c.securityContext && c.securityContext.privileged) deny('privileged containers are not allowed');
}
const labels = (obj.metadata && obj.metadata.labels) || {};
if (!labels.team) warn('pods should carry a team label');
const ns = get('Namespace', 'v1', obj.metadata.namespace || 'default');
if (ns && ns.metadata.labels && ns.metadata.labels.frozen === 'true') deny('namespace is frozen');
allow();
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

it('measures load, first use (ses eval + lockdown), compile and per-case run', () => {
  const samples = { load: [] as number[], prepare: [] as number[], compile: [] as number[], compileAgain: [] as number[], firstRun: [] as number[], warmRun: [] as number[] };
  const cases = [admission(pod('a', { team: 'x' })), admission(pod('b')), admission(pod('c', {}, { spec: { containers: [{ name: 'x', image: 'nginx' }] } }))];
  const objects = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: {} } }];
  for (let i = 0; i < 8; i++) {
    const host = new SandboxHost({ uid: `sample-${i}-${Math.random()}`, operation: 'CREATE', object: null, oldObject: null });
    samples.load.push(host.loadMs);
    let t = performance.now();
    host.prepare();
    samples.prepare.push(performance.now() - t);
    t = performance.now();
    expect(host.compile({ javascript: CANDIDATE, policyType: 'Validating' })).toBe(true);
    samples.compile.push(performance.now() - t);
    t = performance.now();
    expect(host.compile({ javascript: CANDIDATE + '\n// another candidate', policyType: 'Validating' })).toBe(true);
    samples.compileAgain.push(performance.now() - t);
    t = performance.now();
    expect(host.runCompiled(cases[0]!, objects as never).verdict).toBe('allow');
    samples.firstRun.push(performance.now() - t);
    t = performance.now();
    const n = 30;
    for (let k = 0; k < n; k++) host.runCompiled(cases[k % 3]!, objects as never);
    samples.warmRun.push((performance.now() - t) / n);
    expect(host.calls).toEqual([]);
  }
  const report = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, `${median(v).toFixed(2)} ms`]));
  console.log(`sandbox bundle ${(sandboxBundle().length / 1024).toFixed(0)} KiB (ses string included); medians of 8 fresh contexts:`, report);
  expect(median(samples.prepare)).toBeLessThan(500);
  expect(median(samples.warmRun)).toBeLessThan(50);
});
