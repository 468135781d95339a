import type { K8sObject } from '../types.ts';

/** The host names an Ingress serves: spec.rules[].host and spec.tls[].hosts[], each once, in order. */
export function ingressHosts(obj: K8sObject): string[] {
  const spec = (obj && obj.spec) || {};
  const out: string[] = [];
  const add = (host: unknown) => {
    if (typeof host === 'string' && host !== '' && out.indexOf(host) < 0) out.push(host);
  };
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((r: { host?: string }) => add(r && r.host));
  (Array.isArray(spec.tls) ? spec.tls : []).forEach((t: { hosts?: string[] }) => (t && Array.isArray(t.hosts) ? t.hosts : []).forEach(add));
  return out;
}
