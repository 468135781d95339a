// Types for every Kubernetes object gptpolicy reads or writes. Hand-written rather than imported from
// @kubernetes/client-node: we touch few kinds, and their generated classes pull Node code into the bundle.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

/** Any object the API server stores. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** Kubernetes API condition conventions (metav1.Condition). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export type PolicyType = 'Validating' | 'Mutating' | 'Controller';
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT' | '*';

/** JsPolicy spec as jsPolicy v0.2.x/v0.3.x defines it (pkg/apis/policy/v1beta1/jspolicy_types.go). */
export interface JsPolicySpec {
  type?: PolicyType | '';
  operations?: string[];
  resources?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  scope?: 'Cluster' | 'Namespaced' | '*';
  failurePolicy?: 'Fail' | 'Ignore';
  matchPolicy?: 'Exact' | 'Equivalent';
  reinvocationPolicy?: 'Never' | 'IfNeeded';
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  timeoutSeconds?: number;
  violationPolicy?: 'Deny' | 'Warn' | 'Dry';
  auditPolicy?: 'Log' | 'Skip';
  auditLogSize?: number;
  dependencies?: Record<string, string>;
  javascript?: string;
}

export interface JsPolicyStatus {
  phase?: 'Synced' | 'Failed' | '';
  reason?: string;
  message?: string;
  conditions?: Array<{ type: string; status: string; severity?: string; reason?: string; message?: string; lastTransitionTime?: string }>;
  observedGeneration?: number;
  bundleHash?: string;
}

export interface JsPolicy extends KubeObject {
  apiVersion: 'policy.jspolicy.com/v1beta1';
  kind: 'JsPolicy';
  spec: JsPolicySpec;
  status?: JsPolicyStatus;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** The request jsPolicy hands a policy run as the global `request` (admission.Request JSON). */
export interface AdmissionRequest<T = KubeObject> {
  uid: string;
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  subResource?: string;
  requestKind?: GroupVersionKind;
  requestResource?: GroupVersionResource;
  requestSubResource?: string;
  name?: string;
  namespace?: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  userInfo: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  object: T | null;
  oldObject: T | null;
  dryRun?: boolean;
  options: unknown;
}

/** What create/update/remove answer (jsPolicy's ResourceResponse). */
export interface ActionResult<T = KubeObject> {
  ok: boolean;
  reason?: string;
  message?: string;
  object?: T;
}

/** What get/list/create/update throw: a plain object, not an Error. */
export interface JsPolicyThrown {
  reason: string;
  message?: string;
  toString(): string;
}
