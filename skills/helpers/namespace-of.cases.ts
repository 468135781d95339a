import { admit, namespace, pod, falsy, truthy } from '../fixtures.ts';

export const cases = [
  truthy('from the request', 'namespaceOf(request)', '"team-a"', admit(pod({ containers: [] }, { namespace: 'team-a' }))),
  truthy('from oldObject on DELETE', 'namespaceOf({ oldObject: request.oldObject })', '"team-b"', { operation: 'DELETE', oldObject: pod({ containers: [] }, { namespace: 'team-b' }) }),
  falsy('cluster-scoped', 'namespaceOf(request)', admit(namespace('ns1'))),
];
export const keywords = ['namespace'];
