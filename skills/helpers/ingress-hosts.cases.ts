import { admit, ingress, truthy } from '../fixtures.ts';

const backend = { service: { name: 'web', port: { number: 80 } } };
const http = { paths: [{ path: '/', pathType: 'Prefix', backend }] };
export const cases = [
  truthy('rules and tls', 'ingressHosts(request.object).join(",")', '"a.example.com,b.example.com"', admit(ingress({ rules: [{ host: 'a.example.com', http }], tls: [{ hosts: ['a.example.com', 'b.example.com'] }] }))),
  truthy('a rule without host serves every host: "*"', 'ingressHosts(request.object).join(",")', '"*"', admit(ingress({ rules: [{ http }] }))),
  truthy('named and catch-all rules', 'ingressHosts(request.object).join(",")', '"a.example.com,*"', admit(ingress({ rules: [{ host: 'a.example.com', http }, { http }] }))),
  truthy('spec.defaultBackend serves every host', 'ingressHosts(request.object).join(",")', '"a.example.com,*"', admit(ingress({ defaultBackend: backend, rules: [{ host: 'a.example.com', http }] }))),
  truthy('defaultBackend alone', 'ingressHosts(request.object).join(",")', '"*"', admit(ingress({ defaultBackend: backend }))),
  truthy('v1beta1 spec.backend', 'ingressHosts(request.object).join(",")', '"*"', admit({ apiVersion: 'networking.k8s.io/v1beta1', kind: 'Ingress', metadata: { name: 'old', namespace: 'default' }, spec: { backend: { serviceName: 'web', servicePort: 80 } } }, 'CREATE', { resource: { group: 'networking.k8s.io', version: 'v1beta1', resource: 'ingresses' } })),
  truthy('wildcard hosts as written', 'ingressHosts(request.object).join(",")', '"*.example.com"', admit(ingress({ rules: [{ host: '*.example.com', http }] }))),
  truthy('"*" fails a hosts-must-match check', 'ingressHosts(request.object).filter(function (h) { return !/^[^*]+\\.example\\.com$/.test(h); }).join(",")', '"*"', admit(ingress({ rules: [{ http }] }))),
  truthy('no rules, no backend: none', 'ingressHosts(request.object).length === 0', 'true', admit(ingress({ ingressClassName: 'nginx' }))),
  truthy('no object: none', 'ingressHosts(null).length === 0', 'true'),
];
export const keywords = ['ingress', 'host', 'hostname', 'domain', 'tls', 'rule', 'defaultBackend'];
