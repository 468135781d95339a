import { falsy, truthy } from '../fixtures.ts';

export const cases = [
  truthy('kube-system', 'isSystemNamespace("kube-system")', 'true'),
  truthy('kube-node-lease', 'isSystemNamespace("kube-node-lease")', 'true'),
  falsy('default is not', 'isSystemNamespace("default")'),
  falsy('kube- prefix alone is not', 'isSystemNamespace("kube-flannel")'),
];
export const keywords = ['system', 'namespace', 'kube-system', 'exempt', 'except'];
