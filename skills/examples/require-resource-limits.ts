import { daemonSet, deployment, requestJson, statefulSet, type ExampleSource } from '../fixtures.ts';

const limited = { name: 'app', image: 'app:1', resources: { limits: { cpu: '500m', memory: '256Mi' } } };
export default {
  intent: 'Require CPU and memory limits on every container of Deployments, StatefulSets and DaemonSets',
  keywords: ['resources', 'limits', 'cpu', 'memory', 'require'],
  answer: {
    plan: {
      summary: 'Deny workloads with a container or init container that sets no CPU limit or no memory limit',
      resources: [
        { group: 'apps', version: 'v1', resource: 'deployments' },
        { group: 'apps', version: 'v1', resource: 'statefulsets' },
        { group: 'apps', version: 'v1', resource: 'daemonsets' },
      ],
      operations: ['CREATE', 'UPDATE'],
      namespaces: [],
      denies: 'containers without limits.cpu or limits.memory',
      allows: 'workloads whose containers all set both limits',
      mutates: '',
    },
    policy: {
      type: 'Validating',
      operations: ['CREATE', 'UPDATE'],
      resources: ['deployments', 'statefulsets', 'daemonsets'],
      apiGroups: ['apps'],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: `var problems = [];
var noCpu = containersWithoutResource(request.object, 'limits', 'cpu');
var noMemory = containersWithoutResource(request.object, 'limits', 'memory');
if (noCpu.length > 0) problems.push('no CPU limit: ' + noCpu.join(', '));
if (noMemory.length > 0) problems.push('no memory limit: ' + noMemory.join(', '));
if (problems.length > 0) deny('every container needs CPU and memory limits (' + problems.join('; ') + ')');`,
    },
    tests: [
      { name: 'deployment without memory limit is denied', request: requestJson(deployment({ containers: [{ name: 'app', image: 'app:1', resources: { limits: { cpu: '1' } } }] })), expect: 'deny', detail: 'no memory limit: app' },
      { name: 'statefulset init container without limits is denied', request: requestJson(statefulSet({ initContainers: [{ name: 'migrate', image: 'app:1' }], containers: [limited] })), expect: 'deny', detail: 'migrate' },
      { name: 'daemonset with limits is allowed', request: requestJson(daemonSet({ containers: [limited] })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
