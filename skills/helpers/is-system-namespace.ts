/** Whether a namespace is one of Kubernetes' own: kube-system, kube-public or kube-node-lease. */
export function isSystemNamespace(namespace: string): boolean {
  return namespace === 'kube-system' || namespace === 'kube-public' || namespace === 'kube-node-lease';
}
