import { ingress, requestJson, type ExampleSource } from '../fixtures.ts';

export default {
  intent: 'Ingress hosts must be subdomains of example.com',
  keywords: ['ingress', 'host', 'domain', 'hostname'],
  answer: {
    plan: {
      summary: 'Deny Ingresses with a rule or TLS host outside *.example.com',
      resources: [{ group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' }],
      operations: ['CREATE', 'UPDATE'],
      namespaces: [],
      denies: 'hosts that are not subdomains of example.com',
      allows: 'Ingresses whose hosts all end in .example.com, and Ingresses without hosts',
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
      { name: 'subdomain is allowed', request: requestJson(ingress({ rules: [{ host: 'shop.example.com' }], tls: [{ hosts: ['shop.example.com'] }] })), expect: 'allow', detail: '' },
    ],
  },
} satisfies ExampleSource;
