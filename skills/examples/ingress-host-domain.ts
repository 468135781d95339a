import { ingress, requestJson, type ExampleSource } from '../fixtures.ts';

export default {
  intent: 'Ingress hosts must be subdomains of example.com',
  keywords: ['ingress', 'host', 'domain', 'hostname'],
  answer: {
    plan: {
      summary: 'Deny Ingresses with a rule or TLS host outside *.example.com; a rule without host and a default backend serve every host ("*")',
      resources: [{ group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' }],
      operations: ['CREATE', 'UPDATE'],
      namespaces: [],
      denies: 'hosts that are not subdomains of example.com, and rules without host or a defaultBackend (they serve every host)',
      allows: 'Ingresses whose hosts all end in .example.com',
      mutates: '',
    },
    policy: {
      type: 'Validating',
      operations: ['CREATE', 'UPDATE'],
      resources: ['ingresses'],
      apiGroups: ['networking.k8s.io'],
      apiVersions: ['v1'],
      scope: 'Namespaced',
      objectSelector: '',
      javascript: `var outside = ingressHosts(request.object).filter(function (host) { return !matchesWildcard(host, '*.example.com'); });
if (outside.length > 0) deny('Ingress hosts must be subdomains of example.com: ' + outside.join(', '));`,
    },
    tests: [
      { name: 'foreign host is denied', request: requestJson(ingress({ rules: [{ host: 'shop.example.org' }] })), expect: 'deny', detail: 'shop.example.org' },
      { name: 'foreign TLS host is denied', request: requestJson(ingress({ rules: [{ host: 'a.example.com' }], tls: [{ hosts: ['example.com.evil.io'] }] })), expect: 'deny', detail: 'example.com.evil.io' },
      { name: 'a rule without host serves every host and is denied', request: requestJson(ingress({ rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] })), expect: 'deny', detail: '*' },
      { name: 'so is a default backend', request: requestJson(ingress({ defaultBackend: { service: { name: 'web', port: { number: 80 } } } })), expect: 'deny', detail: '*' },
      { name: 'subdomain is allowed', request: requestJson(ingress({ rules: [{ host: 'shop.example.com' }], tls: [{ hosts: ['shop.example.com'] }] })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
