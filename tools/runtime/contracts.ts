// The seams between the pieces of the local jsPolicy runtime (Node-only). The in-memory API server
// implements Cluster; the V8 runner and the webhook/controller emulation only talk to it through
// this interface, so each can be tested on its own.
import type { AdmissionRequest, KubeObject } from '../../lib/k8s/types.ts';

/** One served API resource, as discovery reports it. */
export interface ApiResource {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name, e.g. "pods". */
  resource: string;
  namespaced: boolean;
  /** Whether the resource has a status subresource (main-resource writes then ignore .status). */
  statusSubresource: boolean;
}

/** A Kubernetes Status failure, as the API server answers it. */
export interface StatusFailure {
  ok: false;
  /** HTTP code: 404, 409, 422, 403, 400 … */
  code: number;
  /** metav1.StatusReason: NotFound, AlreadyExists, Conflict, Invalid, Forbidden, BadRequest … */
  reason: string;
  message: string;
}

export type WriteResult = { ok: true; object: KubeObject } | StatusFailure;

export type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject };

/** What an admission step answers for a write (used to run JsPolicies on writes to the cluster). */
export interface AdmissionVerdict {
  allowed: boolean;
  code?: number;
  reason?: string;
  message?: string;
  warnings?: string[];
  /** For mutating webhooks: the object to store instead. */
  patchedObject?: KubeObject;
}

export type AdmissionHook = (request: AdmissionRequest) => AdmissionVerdict;

export interface Cluster {
  /** Discovery: built-in kinds plus every Established CustomResourceDefinition in the store. */
  resources(): ApiResource[];
  /** Resolves apiVersion ("v1", "apps/v1") + kind to its resource, or undefined when not served. */
  resourceFor(apiVersion: string, kind: string): ApiResource | undefined;

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Label selector in Kubernetes syntax (full syntax: the jsPolicy list() native narrows it to equality terms itself). */
  list(apiVersion: string, kind: string, options?: { namespace?: string; labelSelector?: string }): KubeObject[];
  create(object: KubeObject, as?: UserInfo): WriteResult;
  /** PUT of the main resource: with a status subresource, .status is ignored. */
  update(object: KubeObject, as?: UserInfo): WriteResult;
  /** PUT of the status subresource: only .status changes. */
  updateStatus(object: KubeObject, as?: UserInfo): WriteResult;
  /** Background deletion; with finalizers the object only gets a deletionTimestamp. */
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string, as?: UserInfo): WriteResult;

  /** A subset of the REST API, for fetchSync calls aimed at the API server (status writes). */
  handleHttp(request: { method: string; path: string; headers: Record<string, string>; body?: string }): {
    status: number;
    headers: Record<string, string>;
    body: string;
  };

  /** Every change, in order, after it is stored (garbage collection included). */
  watch(listener: (event: WatchEvent) => void): () => void;
  /** Admission hooks run on create/update/delete, mutating first, as the API server calls webhooks. */
  setAdmission(hooks: { mutating?: AdmissionHook; validating?: AdmissionHook }): void;
}

export interface UserInfo {
  username: string;
  groups?: string[];
}

/** Where fetchSync and readFileSync may reach during a run. */
export interface HostAccess {
  /** URL prefixes answered by the in-memory API server's handleHttp (e.g. "https://kubernetes.default.svc"). */
  apiServerUrls?: string[];
  /** When false (tests), any host off the loopback answers jsPolicy's transport error without touching the network. */
  allowNetwork?: boolean;
  /** readFileSync's virtual file system: path → content. Anything else answers undefined. */
  files?: Record<string, string>;
  /** env(): variables of the jsPolicy container. Unset names answer "". */
  env?: Record<string, string>;
}

/** One run of a policy script, as jsPolicy's handler executes it. */
export interface RunOptions {
  policyName: string;
  javascript: string;
  request: unknown;
  /** spec.timeoutSeconds; default 10. */
  timeoutSeconds?: number;
  cluster?: Cluster;
  access?: HostAccess;
  /** Receives each print() line, formatted as jsPolicy logs it: "[<policy>] a b". */
  log?: (line: string) => void;
  /** Milliseconds since the epoch seen by Date inside the run; real time when absent (tests use a virtual clock). */
  now?: () => number;
}

/** The decoded __response (pkg/webhook/handler.go Response). */
export interface PolicyResponse {
  deny?: boolean;
  reason?: string;
  message?: string;
  code?: number;
  patched?: Record<string, unknown>;
  warnings?: string[];
  reschedule?: boolean;
}

/** A run's cost measured inside the engine (jsPolicy's cost), apart from the engine process's round trips. */
export interface EngineTiming {
  /** A fresh context with the natives and jsPolicy's prepare script. */
  context: number;
  /** Compiling and running the script, its queued jobs and the serialization of __response. */
  script: number;
}

/**
 * A run either completes with a response jsPolicy could decode, or fails as jsPolicy reports it
 * (HTTP 500), or never returns (`hang`: termination could not stop it, or no VM was free) or takes
 * jsPolicy's process down with it (`crash`: V8's heap or size limits abort the process). `v8` is the
 * engine's process.versions.v8 ("" when the engine never answered).
 */
export type RunOutcome =
  | { kind: 'completed'; response: PolicyResponse; durationMs: number; v8: string; engineMs?: EngineTiming }
  | { kind: 'error'; message: string; durationMs: number; v8: string; engineMs?: EngineTiming }
  | { kind: 'hang'; message: string; durationMs: number; v8: string }
  | { kind: 'crash'; message: string; durationMs: number; v8: string };
