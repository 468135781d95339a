// Names of our API and of the marks we put on what we generate. One place, so the CRD, the RBAC,
// the controller and the tests cannot drift apart.
export const GROUP = 'gptpolicy.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const GPTPOLICY_KIND = 'GPTPolicy';
/** The namespaced intent: its policy only ever sees its own namespace (lib/gptpolicy/kinds.ts). */
export const NAMESPACED_GPTPOLICY_KIND = 'NamespacedGPTPolicy';

export const JSPOLICY_API_VERSION = 'policy.jspolicy.com/v1beta1';

/**
 * On every generated JsPolicy: which GPTPolicy owns it (labels are how `kubectl get -l` finds them).
 * A label value holds 63 characters and a name 253: a longer name is shortened with a hash
 * (lib/k8s/label-value.ts) and written in full in OWNER_NAME_ANNOTATION, which is then what names the owner.
 */
export const OWNER_LABEL = `${GROUP}/owner`;
export const OWNER_NAME_ANNOTATION = `${GROUP}/owner-name`;
/**
 * On a JsPolicy generated for a NamespacedGPTPolicy, beside OWNER_LABEL: a cluster-scoped object
 * cannot carry an ownerReference to a namespaced owner (the garbage collector never resolves it), so
 * these say whose it is — for ownership checks, removal, and the orphan sweep.
 */
export const OWNER_NAMESPACE_LABEL = `${GROUP}/owner-namespace`;
export const OWNER_UID_LABEL = `${GROUP}/owner-uid`;
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'gptpolicy';
/** On every generated JsPolicy: the intent it was generated for (see lib/controller/intent.ts). */
export const INTENT_ANNOTATION = `${GROUP}/intent-hash`;
/**
 * On generated JsPolicies, read from the description by code when the policy is built (comma-separated):
 * the fields a Mutating policy's patches may change, and the cluster-scoped kinds its get/list may
 * read. The guard is emitted from them at every stage (lib/controller/apply.ts).
 */
export const MUTABLE_FIELDS_ANNOTATION = `${GROUP}/mutable-fields`;
export const READABLE_KINDS_ANNOTATION = `${GROUP}/readable-kinds`;
/** Changing this annotation on a GPTPolicy asks for a fresh generation without editing the description. */
export const REGENERATE_ANNOTATION = `${GROUP}/regenerate`;
