// What a real admission request would carry where a test case or a preview leaves it out, so that
// a policy cannot tell it is being tested or previewed by a marker ("test-user", a constant uid).
import type { AdmissionRequest, KubeObject } from '../k8s/types.ts';

// kube-controller-manager's service accounts, by the kind of the owner that creates the object.
const CONTROLLERS: Record<string, string> = {
  ReplicaSet: 'replicaset-controller',
  Deployment: 'deployment-controller',
  StatefulSet: 'statefulset-controller',
  DaemonSet: 'daemon-set-controller',
  Job: 'job-controller',
  CronJob: 'cronjob-controller',
  ReplicationController: 'replication-controller',
};

const CLUSTER_ADMIN: AdmissionRequest['userInfo'] = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };

/** Who plausibly creates `object`: its controlling owner's controller, else its namespace's default service account, else a cluster admin. */
export function creatorOf(object: KubeObject, random: () => number): AdmissionRequest['userInfo'] {
  const owner = object.metadata.ownerReferences?.find((r) => r.controller === true);
  const controller = owner ? CONTROLLERS[owner.kind] : undefined;
  const [namespace, name] = controller ? ['kube-system', controller] : object.metadata.namespace ? [object.metadata.namespace, 'default'] : [undefined, undefined];
  if (namespace === undefined || name === undefined) return CLUSTER_ADMIN;
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    uid: uuid4(random),
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

/** A random version-4 UUID, as the API server gives every request. */
export function uuid4(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const OPTIONS_KIND: Record<string, string> = { CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions' };

/** The fields of a request the API server always sends, for one a test case wrote without them. */
export function withRequestDefaults(request: Partial<AdmissionRequest>, random: () => number = Math.random): AdmissionRequest {
  const object = (request.object ?? request.oldObject ?? undefined) as KubeObject | undefined;
  const optionsKind = request.operation ? OPTIONS_KIND[request.operation] : undefined;
  return {
    uid: uuid4(random),
    userInfo: object?.metadata ? creatorOf(object, random) : CLUSTER_ADMIN,
    dryRun: false,
    options: optionsKind ? { kind: optionsKind, apiVersion: 'meta.k8s.io/v1' } : null,
    ...request,
    object: request.object ?? null,
    oldObject: request.oldObject ?? null,
  } as AdmissionRequest;
}
