import { requestJson, service, type ExampleSource } from '../fixtures.ts';

export default {
  intent: 'Do not allow Services of type NodePort or LoadBalancer',
  keywords: ['service', 'NodePort', 'LoadBalancer', 'expose'],
  answer: {
    plan: {
      summary: 'Deny Services whose type is NodePort or LoadBalancer',
      resources: [{ group: '', version: 'v1', resource: 'services' }],
      operations: ['CREATE', 'UPDATE'],
      namespaces: [],
      denies: 'Services of type NodePort or LoadBalancer',
      allows: 'ClusterIP (also when type is unset) and ExternalName Services',
      mutates: '',
    },
    policy: {
      type: 'Validating',
      operations: ['CREATE', 'UPDATE'],
      resources: ['services'],
      apiGroups: [''],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: `var type = serviceType(request.object);
if (type === 'NodePort' || type === 'LoadBalancer') deny('Services of type ' + type + ' are not allowed; use ClusterIP and an Ingress');`,
    },
    tests: [
      { name: 'NodePort is denied', request: requestJson(service({ type: 'NodePort', ports: [{ port: 80 }] })), expect: 'deny', detail: 'NodePort' },
      { name: 'LoadBalancer is denied', request: requestJson(service({ type: 'LoadBalancer', ports: [{ port: 80 }] })), expect: 'deny', detail: 'LoadBalancer' },
      { name: 'default ClusterIP is allowed', request: requestJson(service({ ports: [{ port: 80 }] })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
