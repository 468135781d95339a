import { admit, ingress, truthy } from '../fixtures.ts';

export const cases = [
  truthy('rules and tls', 'ingressHosts(request.object).join(",")', '"a.example.com,b.example.com"', admit(ingress({ rules: [{ host: 'a.example.com' }, { http: {} }], tls: [{ hosts: ['a.example.com', 'b.example.com'] }] }))),
  truthy('no rules', 'ingressHosts(request.object).length === 0', 'true', admit(ingress({ defaultBackend: { service: { name: 'x', port: { number: 80 } } } }))),
];
export const keywords = ['ingress', 'host', 'hostname', 'domain', 'tls', 'rule'];
