import type { K8sObject } from '../types.ts';

/** The namespace of an admission request: request.namespace, else the object's or old object's; "" for cluster-scoped objects. */
export function namespaceOf(request: K8sObject): string {
  if (!request) return '';
  if (typeof request.namespace === 'string' && request.namespace !== '') return request.namespace;
  const objects = [request.object, request.oldObject];
  for (let i = 0; i < objects.length; i++) {
    const ns = objects[i] && objects[i].metadata && objects[i].metadata.namespace;
    if (typeof ns === 'string' && ns !== '') return ns;
  }
  return '';
}
