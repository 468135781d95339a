import { admit, pod, truthy } from '../fixtures.ts';

const owned = admit(pod({ containers: [] }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: '1', controller: true }] }));
export const cases = [
  truthy('one owner', 'ownerKinds(request.object).join(",")', '"ReplicaSet"', owned),
  truthy('bare pod', 'ownerKinds(request.object).length === 0', 'true', admit(pod({ containers: [] }))),
];
export const keywords = ['owner', 'ownerReferences', 'bare', 'standalone'];
