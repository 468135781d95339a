// The API resources every Kubernetes 1.29+ cluster serves without CRDs, plus jsPolicy's own kinds.
// The linter checks a policy's resources/apiGroups against this table (and against CRDs read from
// the cluster); the local API server serves exactly these. Compact tuples keep the bundle small.

export interface ServedResource {
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespaced: boolean;
  statusSubresource: boolean;
}

// [group, version, kind, plural, namespaced, has status subresource]
type Row = [string, string, string, string, boolean, boolean];

const ROWS: Row[] = [
  ['', 'v1', 'Pod', 'pods', true, true],
  ['', 'v1', 'Service', 'services', true, true],
  ['', 'v1', 'ConfigMap', 'configmaps', true, false],
  ['', 'v1', 'Secret', 'secrets', true, false],
  ['', 'v1', 'Namespace', 'namespaces', false, true],
  ['', 'v1', 'Node', 'nodes', false, true],
  ['', 'v1', 'ServiceAccount', 'serviceaccounts', true, false],
  ['', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, true],
  ['', 'v1', 'PersistentVolume', 'persistentvolumes', false, true],
  ['', 'v1', 'Endpoints', 'endpoints', true, false],
  ['', 'v1', 'Event', 'events', true, false],
  ['', 'v1', 'LimitRange', 'limitranges', true, false],
  ['', 'v1', 'ResourceQuota', 'resourcequotas', true, true],
  ['', 'v1', 'ReplicationController', 'replicationcontrollers', true, true],
  ['', 'v1', 'PodTemplate', 'podtemplates', true, false],
  ['apps', 'v1', 'Deployment', 'deployments', true, true],
  ['apps', 'v1', 'StatefulSet', 'statefulsets', true, true],
  ['apps', 'v1', 'DaemonSet', 'daemonsets', true, true],
  ['apps', 'v1', 'ReplicaSet', 'replicasets', true, true],
  ['batch', 'v1', 'Job', 'jobs', true, true],
  ['batch', 'v1', 'CronJob', 'cronjobs', true, true],
  ['networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, true],
  ['networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false, false],
  ['networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, false],
  ['rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true, false],
  ['rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true, false],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false, false],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false, false],
  ['policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, true],
  ['autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, true],
  ['storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, false],
  ['scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', false, false],
  ['coordination.k8s.io', 'v1', 'Lease', 'leases', true, false],
  ['events.k8s.io', 'v1', 'Event', 'events', true, false],
  ['discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true, false],
  ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, true],
  ['admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false, false],
  ['admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false, false],
  ['authentication.k8s.io', 'v1', 'TokenReview', 'tokenreviews', false, false],
  ['authorization.k8s.io', 'v1', 'SubjectAccessReview', 'subjectaccessreviews', false, false],
  ['certificates.k8s.io', 'v1', 'CertificateSigningRequest', 'certificatesigningrequests', false, true],
  ['policy.jspolicy.com', 'v1beta1', 'JsPolicy', 'jspolicies', false, true],
  ['policy.jspolicy.com', 'v1beta1', 'JsPolicyBundle', 'jspolicybundles', false, true],
  ['policy.jspolicy.com', 'v1beta1', 'JsPolicyViolations', 'jspolicyviolations', false, true],
];

export const BUILTIN_RESOURCES: readonly ServedResource[] = ROWS.map(
  ([group, version, kind, resource, namespaced, statusSubresource]) => ({ group, version, kind, resource, namespaced, statusSubresource }),
);

/** "apps/v1" for group apps, "v1" for the core group. */
export function groupVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}
