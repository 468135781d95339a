import { admit, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';
import { ofChecks, pssCases } from '../pss-fixtures/index.ts';

const probed = { containers: [{ name: 'a', livenessProbe: { httpGet: { host: '10.0.0.1', port: 80 } }, lifecycle: { preStop: { tcpSocket: { host: 'node', port: 22 } } } }] };
export const cases = [
  truthy('probe and hook hosts', 'probeHostsUsed(request.object).join(",")', '"a:10.0.0.1,a:node"', admit(pod(probed))),
  truthy('empty host is the pod', 'probeHostsUsed(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'a', readinessProbe: { httpGet: { host: '', port: 80 } }, startupProbe: { tcpSocket: { port: 80 } } }] }))),
  truthy('exec and grpc probes have no host', 'probeHostsUsed(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'a', livenessProbe: { exec: { command: ['true'] } }, readinessProbe: { grpc: { port: 9090 } } }] }))),
  truthy('ephemeral container', 'probeHostsUsed(request.object).join(",")', '"debug:x"', ephemeralUpdate(pod({ containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'debug', lifecycle: { postStart: { httpGet: { host: 'x', port: 1 } } } }] }))),
  ...kindCases('liveness and preStop', 'probeHostsUsed(request.object).join(",")', '"a:10.0.0.1,a:node"', probed),
  ...pssCases('probeHostsUsed(request.object).length', ofChecks('hostProbesAndHostLifecycle')),
];
export const keywords = ['probe', 'liveness', 'readiness', 'startup', 'lifecycle', 'hook', 'host', 'httpGet', 'tcpSocket', 'pss', 'baseline'];
