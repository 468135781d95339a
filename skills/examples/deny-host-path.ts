import { pod, requestJson, type ExampleSource } from '../fixtures.ts';

export default {
  intent: 'Deny pods that mount hostPath volumes, except pods labelled app=node-exporter',
  keywords: ['hostPath', 'volume', 'exception', 'label'],
  answer: {
    plan: {
      summary: 'Deny pods with a hostPath volume unless labelled app=node-exporter',
      resources: [{ group: '', version: 'v1', resource: 'pods' }],
      operations: ['CREATE', 'UPDATE'],
      namespaces: [],
      denies: 'pods with hostPath volumes',
      allows: 'pods labelled app=node-exporter; pods without hostPath volumes',
      mutates: '',
    },
    policy: {
      type: 'Validating',
      operations: ['CREATE', 'UPDATE'],
      resources: ['pods'],
      apiGroups: [''],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: `var paths = hostPathVolumes(request.object);
if (paths.length > 0 && labelOf(request.object, 'app') !== 'node-exporter') {
  deny('hostPath volumes are not allowed: ' + paths.join(', '));
}`,
    },
    tests: [
      { name: 'hostPath pod is denied', request: requestJson(pod({ containers: [{ name: 'app', image: 'app:1' }], volumes: [{ name: 'root', hostPath: { path: '/' } }] })), expect: 'deny', detail: 'hostPath' },
      { name: 'node-exporter may mount the host', request: requestJson(pod({ containers: [{ name: 'exp', image: 'prom/node-exporter:1' }], volumes: [{ name: 'proc', hostPath: { path: '/proc' } }] }, { labels: { app: 'node-exporter' } })), expect: 'allow', detail: '' },
      { name: 'emptyDir is allowed', request: requestJson(pod({ containers: [{ name: 'app', image: 'app:1' }], volumes: [{ name: 'tmp', emptyDir: {} }] })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
