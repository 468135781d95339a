import { admit, pod, falsy, truthy } from '../fixtures.ts';

export const cases = [
  truthy('listed', 'isNamespaceIn(request, ["prod", "staging"])', 'true', admit(pod({ containers: [] }, { namespace: 'prod' }))),
  falsy('not listed', 'isNamespaceIn(request, ["prod"])', admit(pod({ containers: [] }, { namespace: 'dev' }))),
];
export const keywords = ['namespace', 'in', 'list'];
