// Runtime-neutral: the local runtime uses it for every write, the controller for a candidate's own
// test cases. Whether the API server sends a request to a JsPolicy's webhook: the rules of the generated
// Validating/MutatingWebhookConfiguration (jspolicy.go:393-709) evaluated the way
// k8s.io/apiserver/pkg/admission/plugin/webhook (predicates/rules, namespace and object matchers) does.
import type { AdmissionRequest, JsPolicy, KubeObject } from '../k8s/types.ts';
import { isEmptySelector, matchesLabelSelector } from './label-selector.ts';

/** The labels of a stored Namespace, or undefined when it is not known. */
export type NamespaceLabels = (name: string) => Record<string, string> | undefined;

/** Resources the API server never sends to admission webhooks (IsExemptAdmissionConfigurationResource). */
const EXEMPT_ADMISSION_RESOURCES = new Set([
  'validatingwebhookconfigurations',
  'mutatingwebhookconfigurations',
  'validatingadmissionpolicies',
  'validatingadmissionpolicybindings',
  'mutatingadmissionpolicies',
  'mutatingadmissionpolicybindings',
]);

const wildcardOr = (list: string[] | undefined): string[] => (list && list.length > 0 ? list : ['*']);

export function matchesOperation(operations: string[] | undefined, operation: string): boolean {
  return (operations ?? []).some((op) => op === '*' || op === operation);
}

/**
 * One entry of a rule's `resources` against a request's resource and subresource ("" for the main
 * resource), as k8s.io/apiserver's rules.Matcher splits and compares them: "*" is every main
 * resource, "pods/*" every subresource of pods, "*\/status" every status subresource, "*\/*"
 * everything. The linter, the impact preview and the local runtime all ask this one function.
 */
export function ruleMatchesResource(entry: string, resource: string, subresource: string): boolean {
  const slash = entry.indexOf('/');
  const res = slash < 0 ? entry : entry.slice(0, slash);
  const sub = slash < 0 ? '' : entry.slice(slash + 1);
  return (res === '*' || res === resource) && (sub === '*' || sub === subresource);
}

/** rules[0].resources against resource + subResource. */
export function matchesResource(resources: string[] | undefined, resource: string, subResource: string | undefined): boolean {
  return (resources ?? []).some((entry) => ruleMatchesResource(entry, resource, subResource ?? ''));
}

function isNamespaceResource(request: AdmissionRequest): boolean {
  return request.resource?.resource === 'namespaces';
}

/** scope: Namespaced excludes the Namespace object itself; Cluster includes it. */
export function matchesScope(scope: string | undefined, request: AdmissionRequest): boolean {
  if (!scope || scope === '*') return true;
  const isNamespaceObject =
    request.resource?.group === '' && request.resource?.version === 'v1' && request.resource?.resource === 'namespaces';
  const namespace = request.namespace ?? '';
  if (scope === 'Namespaced') return !isNamespaceObject && namespace !== '';
  if (scope === 'Cluster') return isNamespaceObject || namespace === '';
  return false;
}

function labelsOf(object: unknown): Record<string, string> | undefined {
  if (!object || typeof object !== 'object') return undefined;
  return (object as KubeObject).metadata?.labels;
}

/**
 * The labels namespaceSelector sees. A Namespace request (CREATE/UPDATE of the main resource) is judged by
 * its own object; other Namespace requests by the stored Namespace (oldObject on DELETE). Otherwise the
 * request's Namespace is read from the cluster. Deviation: where the API server answers 404 for a missing
 * Namespace, this assumes the labels every Namespace carries ({kubernetes.io/metadata.name: <name>}).
 */
export function namespaceLabelsFor(request: AdmissionRequest, namespaceLabels?: NamespaceLabels): Record<string, string> {
  if (isNamespaceResource(request)) {
    const own = !request.subResource && (request.operation === 'CREATE' || request.operation === 'UPDATE') ? request.object : request.oldObject ?? request.object;
    const labels = labelsOf(own);
    if (labels) return labels;
    if (own) return {};
  }
  const name = request.namespace || (isNamespaceResource(request) ? request.name : undefined) || '';
  const stored = namespaceLabels?.(name);
  if (stored) return stored;
  return { 'kubernetes.io/metadata.name': name };
}

export function matchesNamespaceSelector(policy: JsPolicy, request: AdmissionRequest, namespaceLabels?: NamespaceLabels): boolean {
  const selector = policy.spec?.namespaceSelector;
  if (isEmptySelector(selector)) return true;
  // A cluster-scoped object other than a Namespace is never exempted by a namespaceSelector.
  if (!request.namespace && !isNamespaceResource(request)) return true;
  return matchesLabelSelector(selector, namespaceLabelsFor(request, namespaceLabels));
}

/** objectSelector: the object's or the oldObject's labels (either matching is enough). */
export function matchesObjectSelector(policy: JsPolicy, request: AdmissionRequest): boolean {
  const selector = policy.spec?.objectSelector;
  if (isEmptySelector(selector)) return true;
  const matches = (object: unknown): boolean => !!object && typeof object === 'object' && matchesLabelSelector(selector, labelsOf(object) ?? {});
  return matches(request.object) || matches(request.oldObject);
}

/**
 * True when the API server would call this policy's webhook for the request. Controller policies have no
 * webhook (always false). matchPolicy Equivalent (calling a webhook for a request converted from another
 * version of the same resource) is not emulated: apiGroups/apiVersions are compared with request.resource.
 */
export function matchesWebhook(policy: JsPolicy, request: AdmissionRequest, namespaceLabels?: NamespaceLabels): boolean {
  const spec = policy.spec ?? {};
  if (spec.type === 'Controller') return false;
  const resource = request.resource ?? { group: '', version: '', resource: '' };
  if (resource.group === 'admissionregistration.k8s.io' && EXEMPT_ADMISSION_RESOURCES.has(resource.resource)) return false;
  if (!matchesOperation(spec.operations, request.operation)) return false;
  const groups = wildcardOr(spec.apiGroups);
  if (!groups.includes('*') && !groups.includes(resource.group)) return false;
  const versions = wildcardOr(spec.apiVersions);
  if (!versions.includes('*') && !versions.includes(resource.version)) return false;
  if (!matchesResource(spec.resources, resource.resource, request.subResource)) return false;
  if (!matchesScope(spec.scope, request)) return false;
  if (!matchesNamespaceSelector(policy, request, namespaceLabels)) return false;
  return matchesObjectSelector(policy, request);
}
