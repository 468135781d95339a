// Types the starter helpers are written against. Kubernetes objects reach a policy as decoded JSON,
// often partial, so helpers accept loose objects and never assume a field exists.

/** Any Kubernetes object (or anything else: helpers are null-safe). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type K8sObject = { [field: string]: any } | null | undefined;

/** A container, init container or ephemeral container of a pod spec. */
export interface Container {
  name?: string;
  image?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

/** An image reference split into its parts; tag and digest are "" when absent. */
export interface ImageRef {
  registry: string;
  repository: string;
  tag: string;
  digest: string;
}
