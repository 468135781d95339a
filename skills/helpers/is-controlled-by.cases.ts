import { admit, pod, falsy, truthy } from '../fixtures.ts';

const owned = admit(pod({ containers: [] }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: '1', controller: true }] }));
export const cases = [
  truthy('controlled by a ReplicaSet', 'isControlledBy(request.object, "ReplicaSet")', 'true', owned),
  falsy('not by a Job', 'isControlledBy(request.object, "Job")', owned),
  truthy('any controller', 'isControlledBy(request.object, "")', 'true', owned),
  falsy('bare pod', 'isControlledBy(request.object, "")', admit(pod({ containers: [] }))),
];
export const keywords = ['owner', 'controller', 'managed', 'bare', 'naked', 'standalone'];
