// JsPolicyViolations audit log (jsPolicy pkg/webhook audit.go): one cluster-scoped JsPolicyViolations
// object per policy, named like it and owned by it, whose status.violations keeps the last auditLogSize entries.
import type { AdmissionRequest, JsPolicy, KubeObject } from '../../../lib/k8s/types.ts';
import type { Cluster, UserInfo, WriteResult } from '../contracts.ts';
import { JSPOLICY_API_VERSION } from './script.ts';

export type ViolationAction = 'Deny' | 'Warn' | 'Dry' | 'Controller';

/** One status.violations entry (Go omitempty: empty fields are left out). */
export interface PolicyViolation {
  action: ViolationAction;
  code?: number;
  reason?: string;
  message?: string;
  requestInfo?: { name?: string; namespace?: string; kind?: string; apiVersion?: string; operation?: string };
  userInfo?: { username?: string; uid?: string };
  timestamp: string;
}

export const DEFAULT_AUDIT_LOG_SIZE = 20;
const MAX_MESSAGE = 256;

/** spec.auditLogSize when 0 <= n < 40, else 20 (jsPolicy's DefaultAuditLogSize; 40 passes validation but falls back). */
export function auditLogSize(policy: JsPolicy): number {
  const size = policy.spec?.auditLogSize;
  return typeof size === 'number' && Number.isInteger(size) && size >= 0 && size < 40 ? size : DEFAULT_AUDIT_LOG_SIZE;
}

/** metav1.Time: RFC 3339 with second precision. */
export function kubeTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function truncate(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message;
}

function compact<T extends Record<string, unknown>>(value: T): T | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined && v !== '' && v !== 0) out[key] = v;
  return Object.keys(out).length > 0 ? (out as T) : undefined;
}

export function buildViolation(
  action: ViolationAction,
  request: Pick<AdmissionRequest, 'name' | 'namespace' | 'kind' | 'operation' | 'userInfo'>,
  result: { code?: number; reason?: string; message?: string },
  nowMs: number,
): PolicyViolation {
  const group = request.kind?.group ?? '';
  const version = request.kind?.version ?? '';
  const entry: PolicyViolation = { action, timestamp: kubeTimestamp(nowMs) };
  if (result.code) entry.code = result.code;
  if (result.reason) entry.reason = result.reason;
  if (result.message) entry.message = truncate(result.message);
  const requestInfo = compact({
    name: request.name,
    namespace: request.namespace,
    kind: request.kind?.kind,
    apiVersion: version ? (group ? `${group}/${version}` : version) : undefined,
    operation: request.operation,
  });
  if (requestInfo) entry.requestInfo = requestInfo;
  const userInfo = compact({ username: request.userInfo?.username, uid: request.userInfo?.uid });
  if (userInfo) entry.userInfo = userInfo;
  return entry;
}

/** The identity jsPolicy writes with (chart defaults: namespace jspolicy, ServiceAccount "serviceaccount"). */
export const JSPOLICY_USER: UserInfo = {
  username: 'system:serviceaccount:jspolicy:serviceaccount',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:jspolicy', 'system:authenticated'],
};

/**
 * Appends `violation` to JsPolicyViolations/<policy>.status.violations (created on demand, owned by the
 * JsPolicy when it has a uid), keeping the last auditLogSize entries. Returns the status write's result.
 */
export function recordViolation(cluster: Cluster, policy: JsPolicy, violation: PolicyViolation, as: UserInfo = JSPOLICY_USER): WriteResult {
  const name = policy.metadata?.name ?? '';
  const size = auditLogSize(policy);
  let lastFailure: WriteResult | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    let current = cluster.get(JSPOLICY_API_VERSION, 'JsPolicyViolations', undefined, name);
    if (!current) {
      const fresh: KubeObject = { apiVersion: JSPOLICY_API_VERSION, kind: 'JsPolicyViolations', metadata: { name }, spec: {} };
      if (policy.metadata?.uid) {
        fresh.metadata.ownerReferences = [
          { apiVersion: JSPOLICY_API_VERSION, kind: 'JsPolicy', name, uid: policy.metadata.uid, controller: true },
        ];
      }
      const created = cluster.create(fresh, as);
      if (!created.ok && created.reason !== 'AlreadyExists') return created;
      current = created.ok ? created.object : cluster.get(JSPOLICY_API_VERSION, 'JsPolicyViolations', undefined, name);
      if (!current) continue;
    }
    const previous = ((current.status as { violations?: PolicyViolation[] } | undefined)?.violations ?? []).slice();
    previous.push(violation);
    const violations = size === 0 ? [] : previous.slice(-size);
    const result = cluster.updateStatus({ ...current, status: { ...((current.status as object) ?? {}), violations } }, as);
    if (result.ok || result.reason !== 'Conflict') return result;
    lastFailure = result;
  }
  return lastFailure ?? { ok: false, code: 409, reason: 'Conflict', message: `could not record violation for ${name}` };
}
