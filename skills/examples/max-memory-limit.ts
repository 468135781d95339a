import { deployment, pod, requestJson, type ExampleSource } from '../fixtures.ts';

export default {
  intent: 'No container may have a memory limit above 2Gi or a CPU limit above 2 cores',
  keywords: ['memory', 'cpu', 'limit', 'maximum', 'quantity'],
  answer: {
    plan: {
      summary: 'Deny pods and deployments with a container whose memory limit exceeds 2Gi or CPU limit exceeds 2',
      resources: [{ group: '', version: 'v1', resource: 'pods' }, { group: 'apps', version: 'v1', resource: 'deployments' }],
      operations: ['CREATE', 'UPDATE'],
      namespaces: [],
      denies: 'limits.memory > 2Gi or limits.cpu > 2 on any container or init container',
      allows: 'limits up to 2Gi / 2 cores, and unset limits',
      mutates: '',
    },
    policy: {
      type: 'Validating',
      operations: ['CREATE', 'UPDATE'],
      resources: ['pods', 'deployments'],
      apiGroups: ['', 'apps'],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: `var memory = containersExceeding(request.object, 'limits', 'memory', '2Gi');
var cpu = containersExceeding(request.object, 'limits', 'cpu', '2');
if (memory.length > 0) deny('memory limit above 2Gi: ' + memory.join(', '));
if (cpu.length > 0) deny('CPU limit above 2 cores: ' + cpu.join(', '));`,
    },
    tests: [
      { name: '4Gi is denied', request: requestJson(deployment({ containers: [{ name: 'big', image: 'a:1', resources: { limits: { memory: '4Gi' } } }] })), expect: 'deny', detail: 'memory limit above 2Gi: big' },
      { name: '2500m CPU is denied', request: requestJson(pod({ containers: [{ name: 'busy', image: 'a:1', resources: { limits: { cpu: '2500m' } } }] })), expect: 'deny', detail: 'CPU limit above 2 cores: busy' },
      { name: '700m CPU next to 2Gi memory is allowed', request: requestJson(pod({ containers: [{ name: 'small', image: 'a:1', resources: { limits: { memory: '2Gi', cpu: '700m' } } }] })), expect: 'allow', detail: '' },
      { name: '2048Mi equals 2Gi and is allowed', request: requestJson(pod({ containers: [{ name: 'ok', image: 'a:1', resources: { limits: { memory: '2048Mi', cpu: '2' } } }] })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
