// Size limits on writes, as a default kube-apiserver + etcd answers them:
//
// 1. The API server reads at most 3 MiB of a request body (k8s.io/apiserver pkg/server/config.go
//    MaxRequestBodyBytes = 3*1024*1024; handlers/rest.go limitedReadBody):
//    413 RequestEntityTooLarge "Request entity too large: limit is 3145728".
// 2. The object is then written to etcd as one Txn (storage/etcd3/store.go OptimisticPut: compare
//    mod_revision, put key+value, and on updates a get of the key on failure). Two limits apply:
//    - etcd's client refuses to send a gRPC message over 2 MiB (clientv3 defaultMaxCallSendMsgSize;
//      kube-apiserver does not change it): "rpc error: code = ResourceExhausted desc = trying to send
//      message larger than max (<n> vs. 2097152)";
//    - etcd refuses a raft request over --max-request-bytes, 1.5 MiB by default
//      (embed.DefaultMaxRequestBytes = 1572864): "etcdserver: request is too large".
//    Neither is an API status, so the API server answers 500 with no reason and the error's text
//    (responsewriters.ErrorToAPIStatus); its retry without managedFields (handlers/create.go,
//    update.go isTooLargeError) changes nothing here, as this server keeps no managedFields.
//
// The stored value is measured as the JSON the object is stored as (resourceVersion cleared, a
// trailing newline as json.Encoder writes it). Real servers store built-in kinds as protobuf,
// which is smaller, and carry managedFields, which are larger: limits on built-ins are approximate.
import type { KubeObject } from '../../../lib/k8s/types.ts';
import type { ApiResource, StatusFailure } from '../contracts.ts';

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;
export const ETCD_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;
export const ETCD_CLIENT_MAX_SEND_BYTES = 2 * 1024 * 1024;

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** handlers/rest.go limitedReadBody: the request body (a client sends the object as compact JSON). */
export function requestEntityTooLarge(bodyBytes: number): StatusFailure | undefined {
  if (bodyBytes <= MAX_REQUEST_BODY_BYTES) return undefined;
  return { ok: false, code: 413, reason: 'RequestEntityTooLarge', message: `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}` };
}

function varintLength(value: number): number {
  let length = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    length += 1;
  }
  return length;
}

/** A length-delimited protobuf field with a one-byte tag. */
function delimited(length: number): number {
  return 1 + varintLength(length) + length;
}

/** The etcd key the object is stored under (resource prefixes of built-ins simplified to the plural). */
function etcdKey(resource: ApiResource, object: KubeObject, custom: boolean): string {
  const prefix = custom ? `${resource.group}/${resource.resource}` : resource.resource;
  const namespace = resource.namespaced ? `${object.metadata.namespace ?? ''}/` : '';
  return `/registry/${prefix}/${namespace}${object.metadata.name ?? ''}`;
}

/** Size of the marshalled etcdserverpb.TxnRequest OptimisticPut sends. */
function txnSize(key: number, value: number, revision: number, update: boolean): number {
  const compare = 2 /* target MOD */ + delimited(key) + 1 + varintLength(revision) /* mod_revision, set in the oneof even when 0 */;
  const put = delimited(key) + delimited(value);
  const success = delimited(delimited(put));
  const failure = update ? delimited(delimited(delimited(key))) : 0;
  return delimited(compare) + success + failure;
}

/** Size of the InternalRaftRequest etcd measures: the Txn (field 7) plus the header (field 100, a two-byte tag; an ID of ~9 varint bytes). */
function raftRequestSize(txn: number): number {
  const header = 2 + 1 + (1 + 9);
  return header + delimited(txn);
}

/**
 * Whether etcd takes the object; the failure the API server answers otherwise.
 * `revision` is the stored object's resourceVersion on updates (0 on create).
 */
export function storageTooLarge(resource: ApiResource, object: KubeObject, options: { custom: boolean; update: boolean; revision: number }): StatusFailure | undefined {
  const stored = { ...object, metadata: { ...object.metadata } };
  delete stored.metadata.resourceVersion;
  const value = byteLength(JSON.stringify(stored)) + 1;
  const key = byteLength(etcdKey(resource, object, options.custom));
  const txn = txnSize(key, value, options.revision, options.update);
  if (txn > ETCD_CLIENT_MAX_SEND_BYTES) {
    return {
      ok: false,
      code: 500,
      reason: '',
      message: `rpc error: code = ResourceExhausted desc = trying to send message larger than max (${txn} vs. ${ETCD_CLIENT_MAX_SEND_BYTES})`,
    };
  }
  if (raftRequestSize(txn) > ETCD_MAX_REQUEST_BYTES) return { ok: false, code: 500, reason: '', message: 'etcdserver: request is too large' };
  return undefined;
}
