// The host globals jsPolicy defines in every policy run, typed as pkg/vm/vm.go and
// pkg/webhook/handler.go implement them (jsPolicy v0.2.2 … v0.3.0-beta.6), not as @jspolicy/types
// declares them: list() can answer undefined, deny() takes a reason and an integer code,
// fetchSync().status is a number, atob/btoa can answer undefined.

type AdmissionRequestJson = import('./k8s/types').AdmissionRequest;
type ActionResultJson<T> = import('./k8s/types').ActionResult<T>;

interface FetchSyncOptions {
  method?: string;
  headers?: Record<string, string>;
  insecure?: boolean;
  body?: string;
}

interface FetchSyncResponse {
  /** undefined when the body is empty (Go's omitempty). */
  text(): string | undefined;
  json(): unknown;
  /** Canonical header names, first value only. */
  headers: Record<string, string>;
  status: number;
  /** Go's res.Status, e.g. "404 Not Found". */
  statusText: string;
  ok: boolean;
}

declare var request: AdmissionRequestJson;
declare var __policy: string;
declare var exports: Record<string, unknown>;

/** Halts the run: neither catch nor finally runs afterwards. */
declare function allow(): never;
declare function exit(): never;
/** code must be an integer and message/reason strings, or jsPolicy fails the request with a 500. */
declare function deny(message?: string, reason?: string, code?: number): never;
declare function mutate(object: object): never;
declare function requeue(message?: string): never;
declare function warn(message: string): void;
declare function print(...args: unknown[]): void;
/** Blocks at most 1000 ms per call. */
declare function sleep(milliseconds: number): void;
/** "" when the variable is unset. */
declare function env(name: string): string;
declare function readFileSync(path: string): string | undefined;
declare function atob(base64: string): string | undefined;
declare function btoa(text: string): string | undefined;
/** name is "namespace/name" for namespaced kinds. undefined when not found; throws {reason, message} otherwise. */
declare function get<T = unknown>(kind: string, apiVersion: string, name: string, options?: { cache?: boolean | 'smart' }): T | undefined;
/** undefined (not []) when nothing matches; labelSelector honours only equality terms. */
declare function list<T = unknown>(kind: string, apiVersion: string, options?: { namespace?: string; labelSelector?: string; cache?: boolean }): T[] | undefined;
declare function create<T = unknown>(object: T): ActionResultJson<T>;
declare function update<T = unknown>(object: T): ActionResultJson<T>;
/** Never throws. */
declare function remove<T = unknown>(object: T): ActionResultJson<T>;
/** No timeout of its own; throws a string "fetchSync: …" on transport errors. */
declare function fetchSync(url: string, options?: FetchSyncOptions): FetchSyncResponse;
