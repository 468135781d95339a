import type { K8sObject } from '../types.ts';

/**
 * The host names an Ingress serves: spec.rules[].host and spec.tls[].hosts[], each once, in order, and
 * "*" when a rule without host or a default backend serves every host.
 *
 * "*" stands for requests of any host: a rule without a host (the Ingress API: "if the host is
 * unspecified, the Ingress routes all traffic based on the specified IngressRuleValue") and
 * spec.defaultBackend (spec.backend in networking.k8s.io/v1beta1 and extensions/v1beta1), which takes
 * whatever no rule matches. "*" is never a valid host itself, so a check that every host is allowed
 * ("must end with .example.com") rejects such an Ingress, as it should; wildcard hosts such as
 * "*.example.com" are returned as written. [] when the object has no spec (not an Ingress, a DELETE).
 */
export function ingressHosts(obj: K8sObject): string[] {
  const spec = (obj && obj.spec) || {};
  const out: string[] = [];
  const add = (host: unknown) => {
    if (typeof host === 'string' && host !== '' && out.indexOf(host) < 0) out.push(host);
  };
  let anyHost = !!(spec.defaultBackend || spec.backend);
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((r: { host?: string }) => {
    if (r && typeof r.host === 'string' && r.host !== '') add(r.host);
    else anyHost = true;
  });
  (Array.isArray(spec.tls) ? spec.tls : []).forEach((t: { hosts?: string[] }) => (t && Array.isArray(t.hosts) ? t.hosts : []).forEach(add));
  if (anyHost) add('*');
  return out;
}
